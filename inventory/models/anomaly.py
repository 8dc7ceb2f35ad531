"""Anomaly flags: a rule's finding about a record, with evidence and a workflow."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects.postgresql import JSONB

from inventory.models.base import Base, enum_column


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"  # with a reason


class AnomalyFlag(Base):
    """One violation of one rule by one record (or pair of records).

    `fingerprint` identifies the violation (rule + objects), so a re-scan updates the
    same flag instead of adding another; `evidence_hash` tells whether the evidence
    changed since an officer resolved or dismissed it.
    """

    __tablename__ = "anomaly_flag"
    __table_args__ = (
        sa.UniqueConstraint("rule", "fingerprint", name="uq_anomaly_flag_fingerprint"),
        sa.CheckConstraint(
            "status <> 'dismissed' OR reason IS NOT NULL", name="dismissed_has_reason"
        ),
        sa.Index("ix_anomaly_flag_filter", "municipality_id", "rule", "status"),
        # The records a fingerprint names: how a re-check finds the flags of its records.
        sa.Index(
            "ix_anomaly_flag_refs",
            sa.text("string_to_array(fingerprint, '|')"),
            postgresql_using="gin",
        ),
        # Room on each page, so that a scan's updates of the flags it sees again are HOT
        # (no index touched); see migration 0008.
        {"postgresql_with": {"fillfactor": 70}},
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"))
    rule: so.Mapped[str] = so.mapped_column(sa.String(40))
    severity: so.Mapped[Severity] = so.mapped_column(enum_column(Severity, "severity"))
    fingerprint: so.Mapped[str] = so.mapped_column(sa.String(200))
    parcel_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("parcel.id", ondelete="CASCADE"), index=True
    )
    contract_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("lease_contract.id", ondelete="CASCADE"), index=True
    )
    building_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("building.id", ondelete="CASCADE")
    )
    #: Human-readable explanation with the numbers, in the language of the scan config.
    message: so.Mapped[str] = so.mapped_column(sa.Text)
    evidence: so.Mapped[dict[str, Any]] = so.mapped_column(JSONB)
    evidence_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    status: so.Mapped[FlagStatus] = so.mapped_column(
        enum_column(FlagStatus, "flag_status"), server_default=FlagStatus.OPEN.value
    )
    reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    status_changed_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    status_changed_at: so.Mapped[dt.datetime | None]
    first_seen_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
    last_seen_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())


class ParcelOverlap(Base):
    """A pair of live parcels whose interiors meet (a_id < b_id), with the overlap in m².

    Kept between scans by inventory.services.anomalies.overlaps and read by the
    parcel_overlap rule; never written by hand.
    """

    __tablename__ = "parcel_overlap"
    __table_args__ = (sa.CheckConstraint("a_id < b_id", name="ordered"),)
    a_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("parcel.id", ondelete="CASCADE"), primary_key=True
    )
    b_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("parcel.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    overlap_m2: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(14, 2))


class ParcelOverlapStale(Base):
    """A parcel whose overlapping pairs must be recomputed before they are read again
    (added by database triggers when a parcel is inserted, moved, archived or restored)."""

    __tablename__ = "parcel_overlap_stale"
    parcel_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    #: Changes each time the parcel is marked again (a scan clears only the mark it saw).
    mark: so.Mapped[int] = so.mapped_column(
        sa.BigInteger,
        sa.Sequence("parcel_overlap_stale_mark_seq"),
        server_default=sa.text("nextval('parcel_overlap_stale_mark_seq')"),
    )
