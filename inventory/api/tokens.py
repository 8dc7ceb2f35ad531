"""API tokens: issue one for a username and password, revoke the one in use."""

from __future__ import annotations

from flask import current_app, g, jsonify, request

from inventory.api import bp
from inventory.database import get_session
from inventory.services import auth as auth_service
from inventory.services.errors import ValidationError


def client_fingerprint() -> str:
    return auth_service.client_hash(request.remote_addr, current_app.config["SECRET_KEY"])


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError("expected a JSON object body (Content-Type: application/json)")
    return body


@bp.post("/auth/token")
def issue_token():
    """201 {"token", "expires_at"}; 401 wrong credentials; 429 while locked out."""
    body = json_body()
    username, password = auth_service.require_credentials(
        body.get("username"), body.get("password")
    )
    db = get_session()
    try:
        user = auth_service.authenticate(
            db,
            username,
            password,
            client_fingerprint(),
            refuse_weak=current_app.config["REFUSE_WEAK_PASSWORDS"],
        )
    finally:
        db.commit()  # the attempt is kept whatever the outcome, for the lockout
    token, expires_at = auth_service.issue_token(db, user)
    db.commit()
    return jsonify(token=token, expires_at=expires_at.isoformat()), 201


@bp.delete("/auth/token")
def revoke_token():
    """Revoke the bearer token of this request; 204."""
    token = g.get("api_token")
    if token is None:
        raise ValidationError(
            "send the token to revoke as Authorization: Bearer <token>", field="Authorization"
        )
    db = get_session()
    auth_service.revoke_token(db, token)
    db.commit()
    return "", 204


@bp.get("/auth/me")
def who_am_i():
    """The caller as the API sees them: user id, role, municipality."""
    actor = g.actor
    return jsonify(
        user_id=actor.user_id, role=actor.role.value, municipality_id=actor.municipality_id
    )
