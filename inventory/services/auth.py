"""Signing in: password checks with rate limiting and lockout, and API bearer tokens.

Every attempt is recorded in `login_attempt`. After `MAX_FAILURES` failed attempts on
one username within `WINDOW`, the username is locked for `LOCKOUT` (`login_lock`, and
`User.locked_until` for an account), whatever password comes next, so guessing is slow
even from many addresses. Unknown usernames are limited, locked and unlocked the same
way, take as long (a password hash is checked either way) and answer exactly like a
wrong password, so the sign-in form does not reveal which accounts exist. Attempts on
one username, and from one client, are counted one at a time (an advisory lock held
until the caller commits), so parallel guesses get no more tries than sequential ones.

API tokens are random 32-byte strings shown once; the database keeps only their sha256,
so a leaked backup does not leak working tokens.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.security import check_password_hash

from inventory.models import ApiToken, LoginAttempt, LoginLock, User
from inventory.services.errors import DomainError, ValidationError

# Attempts are grouped by client with the one keyed hash of an address (re-exported for
# the sign-in views and the API, which hash the client they serve).
from inventory.services.privacy import client_hash as client_hash
from inventory.services.rate_limits import serialize
from inventory.services.users import check_password_policy, hash_password, password_matches

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)
#: Failures from one client (any usernames) within WINDOW before it is refused too.
MAX_CLIENT_FAILURES = 30
TOKEN_LIFETIME = dt.timedelta(days=30)


class SignInFailed(DomainError):
    """Wrong username or password (deliberately not saying which)."""

    status = 401


class WeakPassword(SignInFailed):
    """The password is right but fails the policy, and the server refuses such accounts
    (production): e.g. a demo account with the password "demo" on a public server."""

    status = 403


class LockedOut(DomainError):
    """Too many failures: the username or client must wait until `until`."""

    status = 429

    def __init__(self, message: str, until: dt.datetime):
        super().__init__(message)
        self.until = until


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _failures_since(
    session: so.Session,
    since: dt.datetime,
    *,
    username: str | None = None,
    client: str | None = None,
) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.at >= since, LoginAttempt.success.is_(False))
    )
    if username is not None:
        query = query.where(LoginAttempt.username == username)
    if client is not None:
        query = query.where(LoginAttempt.client_hash == client)
    return session.scalar(query) or 0


def authenticate(
    session: so.Session,
    username: str,
    password: str,
    client: str,
    now: dt.datetime | None = None,
    refuse_weak: bool = False,
) -> User:
    """The active user with this username and password; the attempt is recorded.

    Raises LockedOut while the username (or the client) is locked, SignInFailed for a
    wrong or unknown username/password or a deactivated account, and, with
    `refuse_weak` (production, or a server reachable from outside), WeakPassword for a
    right password that fails the password policy: accounts made without the policy (the
    demo's) cannot be used there. The failure counters are updated in the session and
    the username and client stay locked against parallel attempts until the caller
    commits, which it must do even when this raises, so the attempt is kept.
    """
    now = now or _now()
    # PostgreSQL text cannot hold NUL (asking for it, or recording the attempt, would
    # fail with a 500); no username has one, so it stands in as a character no username
    # has either, and the name is simply unknown.
    name = (username or "").replace("\x00", "\ufffd").strip().lower()[:200]
    # Always in this order (name, then client), so two attempts never wait on each other.
    serialize(session, "sign-in-name", name)
    serialize(session, "sign-in-client", client)
    lock = session.get(LoginLock, name, populate_existing=True)
    if lock is not None and lock.locked_until > now:
        session.add(LoginAttempt(username=name, client_hash=client, success=False, at=now))
        session.flush()
        raise LockedOut("too many failed attempts; try again later", until=lock.locked_until)
    since = now - WINDOW
    if _failures_since(session, since, client=client) >= MAX_CLIENT_FAILURES:
        session.add(LoginAttempt(username=name, client_hash=client, success=False, at=now))
        session.flush()
        raise LockedOut("too many failed attempts; try again later", until=now + LOCKOUT)

    user = (
        session.scalar(
            sa.select(User).where(User.username == name).execution_options(populate_existing=True)
        )
        if name
        else None
    )
    # A hash is checked for unknown names too, so they take as long as a wrong password.
    matches = password_matches(user, password or "") if user else _matches_nothing(password)
    ok = user is not None and user.active and matches
    weak = ok and refuse_weak and not _meets_policy(password, name)
    if weak:
        session.add(LoginAttempt(username=name, client_hash=client, success=False, at=now))
        session.flush()
        raise WeakPassword(
            "this account's password is too weak for this server; an "
            "administrator must set a new one (inventory users create)"
        )
    session.add(LoginAttempt(username=name, client_hash=client, success=ok, at=now))
    if ok:
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        if lock is not None:
            session.delete(lock)
        session.flush()
        return user
    if user is not None:
        user.failed_logins = (user.failed_logins or 0) + 1
    session.flush()
    if _failures_since(session, since, username=name) >= MAX_FAILURES:
        until = now + LOCKOUT
        if lock is None:
            session.add(LoginLock(username=name, locked_until=until))
        else:
            lock.locked_until = until
        if user is not None:
            user.locked_until = until
        session.flush()
    raise SignInFailed("wrong username or password")


@functools.cache
def _unguessable_hash() -> str:
    """The hash of a random password, made once: what unknown names are checked against."""
    return hash_password(secrets.token_urlsafe(32))


def _matches_nothing(password: str | None) -> bool:
    check_password_hash(_unguessable_hash(), password or "")
    return False


def _meets_policy(password: str, username: str) -> bool:
    try:
        check_password_policy(password, username)
    except ValidationError:
        return False
    return True


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: so.Session,
    user: User,
    lifetime: dt.timedelta = TOKEN_LIFETIME,
    now: dt.datetime | None = None,
) -> tuple[str, dt.datetime]:
    """A new bearer token for the user and when it expires. Only its hash is stored."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    session.add(
        ApiToken(
            user_id=user.id, token_hash=_token_hash(token), created_at=now, expires_at=expires_at
        )
    )
    session.flush()
    return token, expires_at


def user_for_token(session: so.Session, token: str, now: dt.datetime | None = None) -> User | None:
    """The active user a valid (known, unexpired, unrevoked) token belongs to, or None."""
    if not token:
        return None
    now = now or _now()
    found = session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == _token_hash(token),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
        )
    )
    if found is None or not found.user.active:
        return None
    found.last_used_at = now
    return found.user


def revoke_token(session: so.Session, token: str, now: dt.datetime | None = None) -> bool:
    """Revoke a token; True when it existed and was still valid."""
    found = session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == _token_hash(token or ""), ApiToken.revoked_at.is_(None)
        )
    )
    if found is None:
        return False
    found.revoked_at = now or _now()
    session.flush()
    return True


def revoke_all(session: so.Session, user_id: int) -> int:
    """Revoke every live token of a user (after a password change); returns how many."""
    result = session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    return result.rowcount or 0


def require_credentials(username: object, password: object) -> tuple[str, str]:
    """The username and password of a JSON body, or ValidationError naming the missing one."""
    for field, value in (("username", username), ("password", password)):
        if not isinstance(value, str) or not value:
            raise ValidationError("required", field=field)
    return username, password  # type: ignore[return-value]
