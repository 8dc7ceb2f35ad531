"""Security headers, cookies, CSRF, session renewal and lockout, on real responses."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy.orm as so

from inventory.database.session import EXTENSION_KEY
from inventory.factory import create_app
from inventory.services import auth as auth_service
from tests.security.conftest import PASSWORD

PAGES = [
    "/",
    "/stats",
    "/auth/login",
    "/free",
    "/health",
    "/api/v1/parcels",
    "/api/v1/openapi.json",
    "/ogc",
    "/opendata",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_kind_of_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code < 500
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in policy and "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY" or "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in (
        "strict-origin-when-cross-origin",
        "no-referrer",
        "same-origin",
    )


@pytest.fixture()
def production_app(database_url_for_tests, connection, tmp_path):
    """The app as `inventory serve --production` builds it, on the test transaction."""
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "SQLALCHEMY_URL": database_url_for_tests,
            "VAR_DIR": str(tmp_path / "var"),
            "MAX_CONTENT_LENGTH": 1024,
        }
    )
    app.extensions[EXTENSION_KEY].sessionmaker = so.sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return app


HTTPS = "https://localhost"
#: Over HTTPS, Flask-WTF also wants a same-site Referer, as browsers send.
SAME_SITE = {"Referer": HTTPS + "/auth/login"}


def _sign_in(client):
    return client.post(
        "/auth/login",
        base_url=HTTPS,
        headers=SAME_SITE,
        data={"username": "walk-osh", "password": PASSWORD, "csrf_token": _csrf(client)},
    )


def _csrf(client) -> str:
    import re

    html = client.get("/auth/login", base_url=HTTPS).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]


def test_production_cookies_are_secure_httponly_and_samesite(production_app, world):
    client = production_app.test_client()
    response = _sign_in(client)
    assert response.status_code == 302
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_form_post_without_its_csrf_token_is_refused(production_app, world):
    client = production_app.test_client()
    response = client.post("/auth/login", data={"username": "walk-osh", "password": PASSWORD})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_cookie_write_to_the_api_needs_the_csrf_header(production_app, world):
    client = production_app.test_client()
    assert _sign_in(client).status_code == 302
    response = client.post(
        "/api/v1/lessees",
        base_url=HTTPS,
        headers=SAME_SITE,
        json={"municipality": "osh", "kind": "individual", "name": "Иванов И."},
    )
    assert response.status_code == 400


def test_signing_in_renews_the_session(client, world):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/auth/login", data={"username": "walk-osh", "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session and session["_user_id"]


def test_repeated_failures_lock_the_token_endpoint_too(client, world):
    for _ in range(auth_service.MAX_FAILURES):
        client.post("/api/v1/auth/token", json={"username": "walk-osh", "password": "guess 1"})
    locked = client.post("/api/v1/auth/token", json={"username": "walk-osh", "password": PASSWORD})
    assert locked.status_code == 429


@pytest.mark.parametrize(
    "language, text",
    [("ru", "Загружаемый файл больше допустимого."), ("en", "The upload is larger than allowed.")],
)
def test_an_upload_over_the_limit_answers_413_in_the_callers_language(
    production_app, language, text
):
    client = production_app.test_client()
    response = client.post(f"/report?lang={language}", base_url=HTTPS, data={"text": "x" * 4096})
    assert response.status_code == 413
    assert text in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
