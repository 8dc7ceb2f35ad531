"""Signing in and out of the office side, and Flask-Login's user loader.

Views parse the form and call inventory.services.auth; the rules (lockout, rate limits)
live there. Sign-in renews the session: everything stored before it is dropped, so a
session id planted before sign-in is worthless after it (session fixation).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from inventory.database import get_session
from inventory.models import User
from inventory.services import auth as auth_service

bp = Blueprint("auth", __name__, url_prefix="/auth")


def load_user_for_login(user_id: str) -> User | None:
    """Flask-Login's loader: the active user with this id, or None."""
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    return user if user is not None and user.active else None


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=60)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def client_fingerprint() -> str:
    """The keyed hash of this request's client address (see services.auth.client_hash)."""
    return auth_service.client_hash(request.remote_addr, current_app.config["SECRET_KEY"])


def _safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would help phishing."""
    parts = urlsplit(target or "")
    if (
        target
        and not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("main.stats_page")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; on success a new session and a redirect to `next`."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.errors else 200
    db = get_session()
    try:
        user = auth_service.authenticate(
            db,
            form.username.data,
            form.password.data,
            client_fingerprint(),
            refuse_weak=current_app.config["ENV"] == "production",
        )
    except auth_service.LockedOut as exc:
        db.commit()  # the attempt itself must be kept
        error = _(
            "Too many failed attempts. Try again after %(time)s.",
            time=format_datetime(exc.until, "short"),
        )
        return render_template("auth/login.html", form=form, error=error), 429
    except auth_service.WeakPassword:
        db.commit()
        error = _(
            "This account's password is too weak for this server. An administrator "
            "must set a new one with: inventory users create."
        )
        return render_template("auth/login.html", form=form, error=error), 403
    except auth_service.SignInFailed:
        db.commit()
        error = _("Wrong username or password.")
        return render_template("auth/login.html", form=form, error=error), 401
    db.commit()
    target = _safe_next(request.args.get("next"))
    language = session.get("lang")
    session.clear()  # renew: nothing from before sign-in survives it
    if language:
        session["lang"] = language
    login_user(user)
    return redirect(target)


@bp.post("/logout")
def logout():
    """Sign out (POST only, with the CSRF token, so a link cannot sign anyone out)."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
