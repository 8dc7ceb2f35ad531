"""Settings: environment variables, overrides, and refusing unsafe production secrets."""

import pytest

from inventory import config
from inventory.factory import create_app


def test_environment_variables_are_read_with_the_inventory_prefix():
    settings = config.load(
        environ={
            "DATABASE_URL": "postgresql://x/y",
            "INVENTORY_PG_PORT": "6543",
            "SECRET_KEY": "s" * 40,
        }
    )
    assert settings["DATABASE_URL"] == "postgresql://x/y"
    assert settings["PG_PORT"] == 6543
    assert settings["SECRET_KEY"] == "s" * 40


def test_overrides_win_over_the_environment():
    settings = config.load({"PG_PORT": 7000}, environ={"INVENTORY_PG_PORT": "6543"})
    assert settings["PG_PORT"] == 7000


@pytest.mark.parametrize("secret", [None, config.DEVELOPMENT_SECRET, "short"])
def test_production_refuses_a_missing_default_or_short_secret(secret):
    environ = {"INVENTORY_ENV": "production"}
    if secret:
        environ["SECRET_KEY"] = secret
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load(environ=environ)


def test_production_with_a_real_secret_has_secure_cookies_and_no_demo_password():
    settings = config.load(environ={"INVENTORY_ENV": "production", "SECRET_KEY": "k" * 64})
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["DEMO_PASSWORD"] is None


def test_the_app_factory_refuses_production_with_the_default_secret():
    with pytest.raises(config.ConfigError):
        create_app(
            {
                "ENV": "production",
                "SECRET_KEY": config.DEVELOPMENT_SECRET,
                "DATABASE_URL": "postgresql://127.0.0.1:1/none",
            }
        )


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(tmp_path):
    from flask import request

    def make(proxies):
        app = create_app(
            {
                "ENV": "test",
                "DATABASE_URL": "postgresql://x:y@127.0.0.1:1/z",
                "VAR_DIR": str(tmp_path),
                "TRUSTED_PROXIES": proxies,
            }
        )
        app.add_url_rule("/whoami", "whoami", lambda: request.remote_addr or "")
        return app.test_client()

    headers = {"X-Forwarded-For": "203.0.113.7"}
    assert make(1).get("/whoami", headers=headers).text == "203.0.113.7"
    assert make(0).get("/whoami", headers=headers).text != "203.0.113.7"


def test_environment_values_take_the_type_of_their_default():
    settings = config.load(
        environ={
            "INVENTORY_ANOMALY_ENDING_SOON_DAYS": "60",
            "INVENTORY_SESSION_COOKIE_SECURE": "true",
        }
    )
    assert settings["ANOMALY_ENDING_SOON_DAYS"] == 60
    assert settings["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("prefix", ["ocds-inventory-", "ocds-213czf", "213czf-", "OCDS-213CZF-"])
def test_an_ocid_prefix_not_of_the_registered_form_is_refused(prefix):
    with pytest.raises(config.ConfigError, match="OCDS_OCID_PREFIX"):
        config.load(environ={"INVENTORY_OCDS_OCID_PREFIX": prefix})
    assert config.load(environ={"INVENTORY_OCDS_OCID_PREFIX": "ocds-213czf-"})


def test_the_default_ocid_prefix_has_the_registered_form():
    assert config.OCID_PREFIX.fullmatch(config.DEFAULTS["OCDS_OCID_PREFIX"])
