"""Citizen reports of suspected misuse, moderated before anything becomes public."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base, enum_column, point


class ReportStatus(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class CitizenReport(Base):
    """A resident's report. `contact` is personal data and never leaves the office."""

    __tablename__ = "citizen_report"
    __table_args__ = (
        sa.CheckConstraint("num_nonnulls(parcel_id, location) >= 1", name="has_place"),
        sa.CheckConstraint("length(text) BETWEEN 1 AND 5000", name="text_length"),
        # The resident is told why: a rejection without a reason cannot be stored.
        sa.CheckConstraint(
            "status <> 'rejected' OR length(btrim(moderation_note)) > 0",
            name="rejected_has_reason",
        ),
        # The officers' queue and the workspace's count: pending reports of a city.
        sa.Index(
            "ix_citizen_report_pending",
            "municipality_id",
            sa.text("created_at DESC"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"), index=True)
    parcel_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("parcel.id", ondelete="SET NULL"), index=True
    )
    location = so.mapped_column(point(), nullable=True)
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    contact: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    photo_path: so.Mapped[str | None] = so.mapped_column(sa.String(400))
    status: so.Mapped[ReportStatus] = so.mapped_column(
        enum_column(ReportStatus, "report_status"), server_default=ReportStatus.PENDING.value
    )
    #: A salted hash of the client address, for rate limiting without storing the address.
    client_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), index=True)
    moderated_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    moderated_at: so.Mapped[dt.datetime | None]
    #: Why a report was rejected (required then), shown to the resident on the follow page.
    moderation_note: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: SHA-256 (hex) of the resident's private follow token; the token itself is never kept.
    follow_token_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
