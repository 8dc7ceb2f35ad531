"""The daily e-mail digests sent, one row per user and day (inventory.services.notifications)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base


class DigestSent(Base):
    __tablename__ = "digest_sent"
    __table_args__ = (sa.UniqueConstraint("user_id", "day", name="uq_digest_sent_user_day"),)
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("app_user.id", ondelete="CASCADE"))
    day: so.Mapped[dt.date]
    address: so.Mapped[str] = so.mapped_column(sa.String(200))
    items: so.Mapped[int]
    sent_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
