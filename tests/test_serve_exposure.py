"""`inventory serve`: `--production` is production whatever INVENTORY_ENV says, and an
app other machines can reach refuses the placeholder secret and demo passwords (security
test H4)."""

from __future__ import annotations

import importlib
import os
import uuid

import pytest
import sqlalchemy.orm as so
from click.testing import CliRunner

from inventory.cli import main
from inventory.database.session import EXTENSION_KEY
from inventory.factory import create_app
from inventory.models import Role
from inventory.services import users

# The module, not the command of the same name that inventory.cli exports.
serve_module = importlib.import_module("inventory.cli.serve")


@pytest.fixture()
def no_environment(monkeypatch, database_url_for_tests):
    monkeypatch.setenv("DATABASE_URL", database_url_for_tests)
    for name in ("INVENTORY_ENV", "SECRET_KEY", "INVENTORY_LISTENS_BEYOND_LOOPBACK"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("environment", [None, "development", "demo"])
def test_serve_production_refuses_the_placeholder_secret_whatever_the_environment(
    no_environment, environment
):
    if environment:
        no_environment.setenv("INVENTORY_ENV", environment)
    result = CliRunner().invoke(main, ["serve", "--production", "--port", "5199"])
    assert result.exit_code == 1
    assert "SECRET_KEY must be set" in result.output and "in production" in result.output
    assert "Serving" not in result.output


def test_serve_production_hands_production_to_the_gunicorn_workers(no_environment):
    no_environment.setenv("SECRET_KEY", uuid.uuid4().hex * 2)
    started = {}

    def execve(path, argv, environment):
        started.update(argv=argv, environment=environment)
        raise SystemExit(0)  # the real one never returns

    no_environment.setattr(serve_module.os, "execve", execve)
    result = CliRunner().invoke(main, ["serve", "--production", "--port", "5199"])
    assert result.exit_code == 0, result.output
    assert started["environment"]["INVENTORY_ENV"] == "production"
    assert "INVENTORY_ENV" not in os.environ  # nothing leaks into this process


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "inventory.example.org"])
def test_listening_beyond_the_loopback_refuses_the_placeholder_secret(no_environment, host):
    result = CliRunner().invoke(main, ["serve", "--host", host, "--port", "5199"])
    assert result.exit_code == 1
    assert "SECRET_KEY must be set" in result.output
    assert "beyond the loopback" in result.output


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.0.0.5", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_which_addresses_only_this_machine_reaches(host, loopback):
    assert serve_module.is_loopback(host) is loopback


def _app(host, database_url_for_tests, connection, tmp_path):
    app = create_app(
        {
            "ENV": "development",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "SQLALCHEMY_URL": database_url_for_tests,
            "WTF_CSRF_ENABLED": False,
            "VAR_DIR": str(tmp_path),
            **serve_module.forced_settings(host, production=False),
        }
    )
    app.extensions[EXTENSION_KEY].sessionmaker = so.sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return app


@pytest.mark.parametrize("host, form, api", [("127.0.0.1", 302, 201), ("0.0.0.0", 403, 403)])
def test_demo_passwords_sign_in_only_on_the_loopback(
    db_session, database_url_for_tests, connection, tmp_path, host, form, api
):
    users.create_or_update(
        db_session, username="admin", role=Role.ADMIN, password="demo", enforce_policy=False
    )
    client = _app(host, database_url_for_tests, connection, tmp_path).test_client()
    credentials = {"username": "admin", "password": "demo"}
    assert client.post("/auth/login", data=credentials).status_code == form
    assert client.post("/api/v1/auth/token", json=credentials).status_code == api
