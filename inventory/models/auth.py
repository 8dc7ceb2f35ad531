"""Sign-in records: attempts (for rate limiting and lockout), API tokens and the
server-side half of browser sessions.

None of these tables is audited by the history triggers: attempts are themselves a log,
and token and session rows change on every use (`last_used_at`, `last_seen_at`), which
would flood the history.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base
from inventory.models.user import User


class LoginAttempt(Base):
    """One sign-in attempt, successful or not, by username and a hash of the client."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        sa.Index("ix_login_attempt_username_at", "username", "at"),
        sa.Index("ix_login_attempt_client_at", "client_hash", "at"),
    )
    id: so.Mapped[int] = so.mapped_column(sa.BigInteger, primary_key=True)
    #: As typed (lowercased), so attempts on unknown names are limited too.
    username: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: sha256 of the client address with the app secret: enough to limit, not to track.
    client_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    success: so.Mapped[bool]
    at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())


class LoginLock(Base):
    """A username refused until `locked_until` after too many failed attempts. Kept for
    every name typed, known or not, in the same way, so that a lockout (and the time it
    names) tells nothing about which accounts exist."""

    __tablename__ = "login_lock"
    username: so.Mapped[str] = so.mapped_column(sa.String(200), primary_key=True)
    locked_until: so.Mapped[dt.datetime]


class ApiToken(Base):
    """A bearer token of the JSON API. Only its sha256 is stored, never the token."""

    __tablename__ = "api_token"
    __table_args__ = (
        sa.CheckConstraint("token_hash ~ '^[0-9a-f]{64}$'", name="token_hash_hex"),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_created"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
    expires_at: so.Mapped[dt.datetime]
    last_used_at: so.Mapped[dt.datetime | None]
    revoked_at: so.Mapped[dt.datetime | None]

    user: so.Mapped[User] = so.relationship()


class UserSession(Base):
    """A signed-in browser session. The session cookie carries a random id; only its
    sha256 is kept. Signing out, a password change or an administrator ends the row, and
    a cookie whose row is ended, idle too long or too old no longer signs anyone in,
    whatever copies of it exist."""

    __tablename__ = "user_session"
    __table_args__ = (sa.CheckConstraint("id_hash ~ '^[0-9a-f]{64}$'", name="id_hash_hex"),)
    id: so.Mapped[int] = so.mapped_column(sa.BigInteger, primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    id_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
    last_seen_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
    ended_at: so.Mapped[dt.datetime | None]
