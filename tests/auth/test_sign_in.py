"""Signing in and out of the office side: sessions, CSRF, lockout, security headers."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from inventory.models import LoginAttempt
from inventory.services import auth as auth_service
from inventory.web.security import basemap_origin, content_security_policy
from tests.auth.conftest import PASSWORD, csrf_token_of, sign_in


def test_the_sign_in_page_has_a_form(client):
    page = client.get("/auth/login?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="username"' in html and 'type="password"' in html


def test_signing_in_starts_a_session_and_opens_the_workspace(client, db_session, officer):
    # The header's "Sign in" names no page to return to: whoever signs in came to work.
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/office/"
    with client.session_transaction() as session:
        assert session["_user_id"] == str(officer.id)
    db_session.refresh(officer)
    assert officer.last_login_at is not None and officer.failed_logins == 0


def test_sign_in_returns_to_the_page_it_was_asked_from(client, officer):
    response = client.post(
        "/auth/login?next=/stats", data={"username": "officer-osh", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/stats"


def test_sign_in_never_redirects_to_another_site(client, officer):
    response = client.post(
        "/auth/login?next=//evil.example/x", data={"username": "officer-osh", "password": PASSWORD}
    )
    assert response.status_code == 302 and "evil" not in response.headers["Location"]


def test_signing_in_renews_the_session(client, officer):
    with client.session_transaction() as session:
        session["planted_by_attacker"] = "x"
    sign_in(client)
    with client.session_transaction() as session:
        assert "planted_by_attacker" not in session
        assert session["_user_id"] == str(officer.id)


def test_a_wrong_password_is_refused_without_saying_which_part(client, officer):
    wrong = sign_in(client, password="nope nope 1")
    unknown = sign_in(client, username="nobody")
    assert wrong.status_code == unknown.status_code == 401
    text = "Wrong username or password."
    assert text in client.post(
        "/auth/login?lang=en", data={"username": "nobody", "password": "x"}
    ).get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_the_login_form_requires_its_csrf_token(app, client, officer):
    app.config["WTF_CSRF_ENABLED"] = True
    assert sign_in(client).status_code == 400
    token = csrf_token_of(client)
    assert sign_in(client, csrf_token=token).status_code == 302


def test_signing_out_is_a_post_with_csrf(app, client, officer):
    app.config["WTF_CSRF_ENABLED"] = True
    sign_in(client, csrf_token=csrf_token_of(client))
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    token = csrf_token_of(client)  # the renewed session has a token of its own
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_five_failures_lock_the_username_even_for_the_right_password(client, db_session, officer):
    for _ in range(auth_service.MAX_FAILURES):
        assert sign_in(client, password="guess guess 1").status_code == 401
    locked = sign_in(client)
    assert locked.status_code == 429
    db_session.refresh(officer)
    assert officer.locked_until is not None
    assert officer.failed_logins == auth_service.MAX_FAILURES
    attempts = db_session.scalars(
        sa.select(LoginAttempt).where(LoginAttempt.username == "officer-osh")
    ).all()
    assert len(attempts) == auth_service.MAX_FAILURES + 1
    assert not any(a.success for a in attempts)
    assert all(len(a.client_hash) == 64 and "127.0.0.1" not in a.client_hash for a in attempts)


def test_the_lock_opens_after_the_lockout(db_session, officer):
    start = dt.datetime.now(dt.UTC)
    for _ in range(auth_service.MAX_FAILURES):
        try:
            auth_service.authenticate(db_session, "officer-osh", "bad", "c", now=start)
        except auth_service.SignInFailed:
            pass
    later = start + auth_service.LOCKOUT + dt.timedelta(seconds=1)
    user = auth_service.authenticate(db_session, "officer-osh", PASSWORD, "c", now=later)
    assert user.id == officer.id and user.locked_until is None and user.failed_logins == 0


def test_unknown_usernames_are_rate_limited_too(db_session):
    for _ in range(auth_service.MAX_FAILURES):
        try:
            auth_service.authenticate(db_session, "ghost", "bad", "c")
        except auth_service.SignInFailed:
            pass
    try:
        auth_service.authenticate(db_session, "ghost", "bad", "c")
    except auth_service.LockedOut:
        return
    raise AssertionError("the sixth attempt should be locked out")


def test_every_response_carries_the_security_headers(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "img-src 'self' data: https://tile.openstreetmap.org" in csp
    assert "script-src 'self';" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Content-Security-Policy" in client.get("/api/v1/openapi.json").headers


def test_the_base_map_host_is_the_only_outside_image_source():
    assert (
        basemap_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png")
        == "https://*.tile.example.org"
    )
    assert basemap_origin("none") is None
    assert "img-src 'self' data:;" in content_security_policy("none")
