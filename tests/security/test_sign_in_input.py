"""Whatever a client sends as a username, signing in answers 401, never 500 (found by
schemathesis: a NUL byte, which PostgreSQL text cannot hold)."""

from __future__ import annotations

import pytest

from inventory.services import auth as auth_service


@pytest.mark.parametrize("username", ["adm\x00in", "\x00", "walk-osh\x00"])
def test_a_username_with_a_nul_byte_is_unknown_on_the_api_and_the_form(client, world, username):
    token = client.post(
        "/api/v1/auth/token", json={"username": username, "password": "correct horse 42"}
    )
    assert token.status_code == 401
    form = client.post("/auth/login", data={"username": username, "password": "x"})
    assert form.status_code == 401


def test_nul_attempts_count_towards_the_lockout(db_session):
    for _ in range(auth_service.MAX_FAILURES):
        with pytest.raises(auth_service.SignInFailed):
            auth_service.authenticate(db_session, "ghost\x00", "x", "client")
    with pytest.raises(auth_service.LockedOut):
        auth_service.authenticate(db_session, "ghost\x00", "x", "client")
