"""`/office/users`: administrators manage the accounts of the office.

An administrator creates accounts, sets their role and municipality, gives a new password
to someone locked out, and deactivates or reactivates accounts. The rules (who may, the
password policy, signing the user out everywhere) are inventory.services.users'; these
views parse the forms and render.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from inventory.database import get_session
from inventory.i18n import current_language
from inventory.models import Municipality, Role
from inventory.office import bp
from inventory.services import users as user_service
from inventory.services.errors import DomainError, Forbidden, ValidationError

ROLE_NAMES = {
    Role.ADMIN: _l("Administrator"),
    Role.OFFICER: _l("Officer"),
    Role.AUDITOR: _l("Auditor"),
}


def _require_admin() -> None:
    if g.actor.role != Role.ADMIN:
        raise Forbidden("only administrators may manage user accounts")


def _role(value: str | None) -> Role:
    try:
        return Role(value or "")
    except ValueError:
        raise ValidationError("choose a role", field="role") from None


def _context() -> dict:
    session = get_session()
    language = current_language()
    municipalities = [
        (m.slug, m.name(language))
        for m in session.scalars(sa.select(Municipality).order_by(Municipality.slug))
    ]
    return {"roles": ROLE_NAMES, "municipalities": municipalities, "language": language}


def _list(error: DomainError | None = None, status: int = 200):
    users = user_service.all_users(get_session(), g.actor)
    form = request.form if error else {}
    signed_in = {u.id: format_datetime(u.last_login_at, "short") for u in users if u.last_login_at}
    page = render_template(
        "office/users.html",
        users=users,
        signed_in=signed_in,
        error=error,
        form=form,
        **_context(),
    )
    return page, error.status if error else status


@bp.get("/users")
def users():
    _require_admin()
    return _list()


@bp.post("/users")
def create_user():
    _require_admin()
    session = get_session()
    form = request.form
    try:
        if form.get("password", "") != form.get("confirmation", ""):
            raise ValidationError("the two new passwords differ", field="confirmation")
        user = user_service.create_user(
            session,
            g.actor,
            username=form.get("username", ""),
            role=_role(form.get("role")),
            password=form.get("password", ""),
            municipality_slug=form.get("municipality") or None,
            full_name=form.get("full_name"),
        )
    except DomainError as exc:
        session.rollback()
        return _list(exc)
    session.commit()
    flash(_("The account %(username)s was created.", username=user.username), "ok")
    return redirect(url_for("office.users"), 303)


def _user_page(user_id: int, error: DomainError | None = None):
    user = user_service.get_user(get_session(), g.actor, user_id)
    page = render_template("office/user.html", user=user, error=error, **_context())
    return page, error.status if error else 200


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    _require_admin()
    return _user_page(user_id)


@bp.post("/users/<int:user_id>")
def update_user(user_id: int):
    _require_admin()
    session = get_session()
    try:
        user_service.update_user(
            session,
            g.actor,
            user_id,
            role=_role(request.form.get("role")),
            municipality_slug=request.form.get("municipality") or None,
            full_name=request.form.get("full_name"),
        )
    except DomainError as exc:
        session.rollback()
        return _user_page(user_id, exc)
    session.commit()
    flash(_("The account was saved."), "ok")
    return redirect(url_for("office.user", user_id=user_id), 303)


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    _require_admin()
    session = get_session()
    try:
        user_service.reset_password(
            session,
            g.actor,
            user_id,
            request.form.get("password", ""),
            request.form.get("confirmation", ""),
        )
    except DomainError as exc:
        session.rollback()
        return _user_page(user_id, exc)
    session.commit()
    flash(_("The new password is set; the account's sessions and API tokens ended."), "ok")
    return redirect(url_for("office.user", user_id=user_id), 303)


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    _require_admin()
    session = get_session()
    active = request.form.get("active") == "1"
    try:
        user_service.set_active(session, g.actor, user_id, active)
    except DomainError as exc:
        session.rollback()
        return _user_page(user_id, exc)
    session.commit()
    flash(_("The account was reactivated.") if active else _("The account was deactivated."), "ok")
    return redirect(url_for("office.user", user_id=user_id), 303)
