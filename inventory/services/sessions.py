"""Browser sessions kept on the server, so that they can be ended.

The session cookie is signed but lives in the browser: on its own, signing out would only
drop the browser's copy, and a copied cookie would go on working. So signing in starts a
row in `user_session` and puts a random id in the cookie (the row keeps only its sha256);
each request resumes the session only while its row is open, used within the idle
lifetime and younger than the absolute one. Signing out ends the row; a password change
or reset and deactivating an account end every session and API token of the user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import ApiToken, User, UserSession

#: How stale `last_seen_at` may get before a request writes it again.
SEEN_EVERY = dt.timedelta(minutes=1)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(session: so.Session, user: User, now: dt.datetime | None = None) -> str:
    """Open a session for the user; returns its id, for the cookie (shown nowhere else)."""
    now = now or _now()
    session_id = secrets.token_urlsafe(32)
    session.add(
        UserSession(user_id=user.id, id_hash=_hash(session_id), created_at=now, last_seen_at=now)
    )
    session.flush()
    return session_id


def resume(
    session: so.Session,
    session_id: str | None,
    user_id: int,
    *,
    idle: dt.timedelta,
    lifetime: dt.timedelta,
    now: dt.datetime | None = None,
) -> bool:
    """Whether the session is open for this user, not idle longer than `idle` and
    younger than `lifetime`. If so it counts as used now (written at most once a minute,
    so a page's many requests write once); the caller commits."""
    if not session_id:
        return False
    now = now or _now()
    found = session.execute(
        sa.select(UserSession.id, UserSession.last_seen_at).where(
            UserSession.id_hash == _hash(session_id),
            UserSession.user_id == user_id,
            UserSession.ended_at.is_(None),
            UserSession.last_seen_at > now - idle,
            UserSession.created_at > now - lifetime,
        )
    ).first()
    if found is None:
        return False
    if found.last_seen_at < now - SEEN_EVERY:
        session.execute(
            sa.update(UserSession).where(UserSession.id == found.id).values(last_seen_at=now)
        )
    return True


def end(session: so.Session, session_id: str | None, now: dt.datetime | None = None) -> bool:
    """End one session (signing out); True when it was open."""
    if not session_id:
        return False
    result = session.execute(
        sa.update(UserSession)
        .where(UserSession.id_hash == _hash(session_id), UserSession.ended_at.is_(None))
        .values(ended_at=now or _now())
    )
    return bool(result.rowcount)


def sign_out_everywhere(session: so.Session, user_id: int, now: dt.datetime | None = None) -> int:
    """End every open session and revoke every live API token of the user (a password
    change or reset, a deactivated account); returns how many were ended."""
    now = now or _now()
    ended = session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=now)
    ).rowcount
    revoked = session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    ).rowcount
    return (ended or 0) + (revoked or 0)


def open_sessions(session: so.Session, user_id: int) -> int:
    """How many sessions of the user are still open (not ended; some may have expired)."""
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(UserSession)
            .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        )
        or 0
    )
