"""Contract review campaigns: a municipality reviews a chosen set of its contracts by a
deadline, each contract by an assigned officer, each ending kept, amended, terminated or
sent to court (domain.md, "After the inventory")."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects.postgresql import JSONB

from inventory.models.base import Base, Timestamps, Versioned, enum_column
from inventory.models.lease import LeaseContract
from inventory.models.municipality import Municipality
from inventory.models.user import User


class CampaignStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ReviewOutcome(enum.StrEnum):
    PENDING = "pending"
    KEPT = "kept"  # kept as is
    AMENDED = "amended"  # an amendment contract supersedes it
    TERMINATED = "terminated"  # with a date and a reason; the parcel becomes free
    COURT = "court"  # sent to court


class ReviewCampaign(Timestamps, Base):
    """A review of a municipality's contracts, opened by an administrator.

    `selection` keeps the filters the contracts were chosen by (scope, rule, zone), so the
    public page can say what was reviewed.
    """

    __tablename__ = "review_campaign"
    __table_args__ = (
        sa.CheckConstraint("deadline >= opened_on", name="deadline_after_opening"),
        sa.CheckConstraint("status <> 'closed' OR closed_on IS NOT NULL", name="closed_has_date"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"), index=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    opened_on: so.Mapped[dt.date]
    deadline: so.Mapped[dt.date]
    status: so.Mapped[CampaignStatus] = so.mapped_column(
        enum_column(CampaignStatus, "campaign_status"), server_default=CampaignStatus.OPEN.value
    )
    closed_on: so.Mapped[dt.date | None]
    selection: so.Mapped[dict[str, Any]] = so.mapped_column(JSONB)
    opened_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )

    municipality: so.Mapped[Municipality] = so.relationship()
    reviews: so.Mapped[list[CampaignReview]] = so.relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="CampaignReview.id"
    )


class CampaignReview(Versioned, Base):
    """One contract's review in a campaign: who reviews it and how it ended.

    `rent_before` (annual) and `arrears_before` are the contract's figures when the
    campaign opened; `rent_after` the annual rent the outcome leaves (0 once terminated).
    """

    __tablename__ = "campaign_review"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "contract_id", name="uq_campaign_review_contract"),
        sa.CheckConstraint(
            "outcome = 'pending' OR decided_on IS NOT NULL", name="decided_has_date"
        ),
        sa.CheckConstraint(
            "outcome <> 'amended' OR successor_id IS NOT NULL", name="amended_has_successor"
        ),
        sa.CheckConstraint(
            "outcome <> 'terminated' OR termination_reason IS NOT NULL",
            name="terminated_has_reason",
        ),
        sa.Index("ix_campaign_review_progress", "campaign_id", "officer_id", "outcome"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    campaign_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("review_campaign.id", ondelete="CASCADE")
    )
    contract_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("lease_contract.id"), index=True)
    officer_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    outcome: so.Mapped[ReviewOutcome] = so.mapped_column(
        enum_column(ReviewOutcome, "review_outcome"), server_default=ReviewOutcome.PENDING.value
    )
    decided_on: so.Mapped[dt.date | None]
    decided_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    note: so.Mapped[str | None] = so.mapped_column(sa.Text)
    successor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("lease_contract.id"))
    termination_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    rent_before: so.Mapped[Decimal]
    rent_after: so.Mapped[Decimal | None]
    arrears_before: so.Mapped[Decimal] = so.mapped_column(server_default="0")

    campaign: so.Mapped[ReviewCampaign] = so.relationship(back_populates="reviews")
    contract: so.Mapped[LeaseContract] = so.relationship(foreign_keys=[contract_id])
    successor: so.Mapped[LeaseContract | None] = so.relationship(foreign_keys=[successor_id])
    officer: so.Mapped[User | None] = so.relationship(foreign_keys=[officer_id])
