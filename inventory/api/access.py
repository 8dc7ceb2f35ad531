"""Who is calling the API: the actor of every request, or 401.

A request carries `Authorization: Bearer <token>` (scripts, mobile clients) or the
session cookie of a signed-in user (the office pages). Cookie-authenticated writes must
also send the page's CSRF token in `X-CSRFToken`, because the browser sends cookies on
its own. Tokens win over cookies, so a script never acts by accident as the browser user.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import Unauthorized
from wtforms.validators import ValidationError as WTFValidationError

from inventory.api import bp
from inventory.database import get_session
from inventory.services import auth as auth_service
from inventory.services.permissions import Actor

#: Endpoints anyone may call: getting a token, and the description of the API.
PUBLIC_ENDPOINTS = {"api.issue_token", "api.openapi"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@bp.before_request
def identify_caller():
    """Set g.actor, or answer 401 (no or bad credentials) / 400 (cookie without CSRF)."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return
    token = bearer_token()
    if token is not None:
        db = get_session()
        user = auth_service.user_for_token(db, token)
        if user is None:
            raise Unauthorized("The token is unknown, expired or revoked.")
        db.commit()  # remember last_used_at
        g.actor = Actor.of(user, source="api")
        g.api_token = token
        return
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            try:
                validate_csrf(request.headers.get("X-CSRFToken"))
            except WTFValidationError as exc:
                raise CSRFError(str(exc)) from None
        g.actor = Actor.of(current_user, source="ui")
        return
    raise Unauthorized("Send Authorization: Bearer <token> (POST /api/v1/auth/token) or sign in.")


@bp.after_request
def ask_for_a_token(response):
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="inventory"'
    response.headers.setdefault("Cache-Control", "no-store")
    return response
