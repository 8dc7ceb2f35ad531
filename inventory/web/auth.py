"""Signing in and out of the office side, changing one's own password, and
Flask-Login's user loader.

Views parse the form and call inventory.services.auth (lockout, rate limits) or
inventory.services.users (passwords). Sign-in renews the session: everything stored
before it is dropped, so a session planted before sign-in is worthless after it (session
fixation), and starts a server-side session (inventory.services.sessions) whose id the
cookie carries: the loader accepts a cookie only while that session is open, so signing
out, a password change or an idle or too old session ends it for every copy of the
cookie.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from inventory.database import get_session
from inventory.models import User
from inventory.services import auth as auth_service
from inventory.services import sessions as session_service
from inventory.services import users as user_service
from inventory.services.errors import ValidationError

bp = Blueprint("auth", __name__, url_prefix="/auth")


#: Where the server-side session id lives in the cookie.
SESSION_ID_KEY = "sid"


def load_user_for_login(user_id: str) -> User | None:
    """Flask-Login's loader: the active user with this id, while the cookie's server-side
    session is open, recently used and young enough (SESSION_IDLE_MINUTES,
    SESSION_MAX_HOURS); else None. Runs first thing in a request (load_user_first), so
    committing the session's use here commits nothing of the view's."""
    if not user_id.isdecimal():
        return None
    config = current_app.config
    db = get_session()
    resumed = session_service.resume(
        db,
        session.get(SESSION_ID_KEY),
        int(user_id),
        idle=dt.timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        lifetime=dt.timedelta(hours=config["SESSION_MAX_HOURS"]),
    )
    db.commit()
    if not resumed:
        return None
    user = db.get(User, int(user_id))
    return user if user is not None and user.active else None


def may_be_signed_in() -> bool:
    """Whether the request carries a session cookie, without which nobody is signed in:
    a resident's tile or page then costs no session-cookie check nor user lookup."""
    return current_app.config["SESSION_COOKIE_NAME"] in request.cookies


@bp.before_app_request
def load_user_first() -> None:
    """Settle who is signed in before any view runs (see load_user_for_login)."""
    if request.endpoint == "static" or (request.endpoint or "").endswith(".static"):
        return
    if may_be_signed_in():
        current_user._get_current_object()


def start_session(user: User) -> None:
    """Renew the cookie (nothing from before survives but the language) and open a
    server-side session for the user in it. The caller commits."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
    session[SESSION_ID_KEY] = session_service.start(get_session(), user)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=60)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def client_fingerprint() -> str:
    """The keyed hash of this request's client address (see services.auth.client_hash)."""
    return auth_service.client_hash(request.remote_addr, current_app.config["SECRET_KEY"])


def _safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would help phishing. Without one, the
    workspace: whoever signs in came to work."""
    parts = urlsplit(target or "")
    if (
        target
        and not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("office.home")


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
            refuse_weak=current_app.config["REFUSE_WEAK_PASSWORDS"],
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
    target = _safe_next(request.args.get("next"))
    start_session(user)
    db.commit()
    return redirect(target)


@bp.post("/logout")
def logout():
    """Sign out (POST only, with the CSRF token, so a link cannot sign anyone out): the
    server-side session ends, so a copy of the cookie no longer works either."""
    db = get_session()
    session_service.end(db, session.get(SESSION_ID_KEY))
    db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)]
    )
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirmation = PasswordField(
        _l("New password again"), validators=[DataRequired(), Length(max=200)]
    )


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    """Change one's own password. Every other session and API token of the account ends;
    this browser gets a new session and stays signed in."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("auth.change_password")))
    form = PasswordForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("auth/password.html", form=form), status
    db = get_session()
    try:
        user = user_service.change_own_password(
            db,
            current_user.id,
            form.current_password.data,
            form.password.data,
            form.confirmation.data,
        )
    except ValidationError as exc:
        db.rollback()
        return render_template("auth/password.html", form=form, error=exc.localized()), 400
    start_session(user)
    db.commit()
    flash(_("Your password is changed. Other devices and API tokens are signed out."), "ok")
    return redirect(url_for("auth.change_password"))
