"""Anomaly scan runs: when each full scan ran, what it judged and what it found."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects.postgresql import JSONB

from inventory.models.base import Base


class ScanRun(Base):
    """One full anomaly scan (a re-check of a few records after an edit is not one).

    Written by inventory.services.anomalies.engine at the end of the scan, in the
    scan's transaction: a scan rolled back leaves no run. The audit pages show the last
    one; the app's nightly job (inventory.nightly_jobs) reads it to tell
    whether tonight's scan is done.
    """

    __tablename__ = "anomaly_scan_run"
    __table_args__ = (sa.Index("ix_anomaly_scan_run_finished_at", "finished_at"),)
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    started_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
    finished_at: so.Mapped[dt.datetime]
    #: The day the scan judged.
    as_of: so.Mapped[dt.date]
    #: The municipality scanned; None: all of them.
    municipality_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE")
    )
    #: The rules run; None: all of them.
    rules: so.Mapped[list[str] | None] = so.mapped_column(sa.ARRAY(sa.String(40)))
    #: Who ran it: scan (the command), schedule (the app's nightly job), demo, ...
    source: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    #: Per rule, what the merge did: {"arrears": {"new": 3, ...}, ...}.
    counts: so.Mapped[dict[str, Any]] = so.mapped_column(JSONB)
