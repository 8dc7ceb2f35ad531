"""The signed-in user's daily e-mail digest: what today's would say, and, for an auditor,
asking for it or stopping it (officers get their city's anyway)."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from inventory.database import get_session
from inventory.models import User
from inventory.office import bp
from inventory.services.notifications import mail
from inventory.services.notifications.digest import build_digest, render, set_opt_in
from inventory.web.saving import commit_or_flash
from inventory.web.settings import settings


@bp.get("/digest")
def digest():
    session = get_session()
    user = session.get(User, g.actor.user_id)
    today = build_digest(session, user, settings())
    return render_template(
        "office/digest.html",
        user=user,
        digest=today,
        text=render(today, user.full_name or user.username, None),
        mail_on=mail.configured(settings()),
    )


@bp.post("/digest")
def digest_opt_in():
    session = get_session()
    user = session.get(User, current_user.id)
    wanted = request.form.get("digest_opt_in") == "on"
    commit_or_flash(
        session,
        lambda: set_opt_in(session, user, wanted),
        done=_l("Your digest setting is saved."),
    )
    return redirect(url_for("office.digest"))
