"""Sign-in records: attempts (for rate limiting and lockout) and API tokens.

Neither table is audited by the history triggers: attempts are themselves a log, and a
token row changes on every API call (`last_used_at`), which would flood the history.
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
