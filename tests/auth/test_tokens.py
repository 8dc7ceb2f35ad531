"""API tokens: issued for a password, stored hashed, expiring, revocable."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from inventory.models import ApiToken
from inventory.services import auth as auth_service
from tests.auth.conftest import PASSWORD, csrf_token_of, sign_in


def _token(client, password=PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": "officer-osh", "password": password})


def test_a_token_is_issued_for_the_right_password_and_works(client, db_session, officer):
    response = _token(client)
    assert response.status_code == 201
    body = response.get_json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert expires > dt.datetime.now(dt.UTC) + dt.timedelta(days=29)
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.get_json() == {
        "user_id": officer.id,
        "role": "officer",
        "municipality_id": officer.municipality_id,
    }
    stored = db_session.scalars(sa.select(ApiToken.token_hash)).all()
    assert body["token"] not in stored and len(stored[0]) == 64


def test_a_wrong_password_gets_no_token(client, officer):
    response = _token(client, password="wrong wrong 1")
    assert response.status_code == 401 and "token" not in response.get_json()


def test_a_missing_password_names_the_field(client):
    response = client.post("/api/v1/auth/token", json={"username": "officer-osh"})
    assert response.status_code == 400 and response.get_json()["field"] == "password"


def test_the_token_endpoint_locks_out_too(client, officer):
    for _ in range(auth_service.MAX_FAILURES):
        _token(client, password="guess guess 1")
    assert _token(client).status_code == 429


def test_an_expired_token_gets_401(client, db_session, officer):
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    token, _ = auth_service.issue_token(db_session, officer, now=long_ago)
    response = client.get("/api/v1/parcels", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_a_revoked_token_gets_401(client, officer):
    token = _token(client).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_tokens_record_their_last_use(client, db_session, officer):
    token = _token(client).get_json()["token"]
    client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    row = db_session.scalars(sa.select(ApiToken)).one()
    db_session.refresh(row)
    assert row.last_used_at is not None


def test_a_signed_in_browser_may_write_through_the_api_only_with_the_csrf_header(
    app, client, officer
):
    app.config["WTF_CSRF_ENABLED"] = True
    sign_in(client, csrf_token=csrf_token_of(client))
    body = {"kind": "individual", "name": "Асанов А."}
    assert client.get("/api/v1/lessees").status_code == 200
    refused = client.post("/api/v1/lessees", json=body)
    assert refused.status_code == 400
    token = csrf_token_of(client)
    accepted = client.post("/api/v1/lessees", json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.get_json()
