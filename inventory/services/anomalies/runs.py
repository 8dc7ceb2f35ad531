"""Full anomaly scans kept (anomaly_scan_run): when the flags were last brought up to date.

The engine records each full scan in the scan's own transaction (a scan rolled back
leaves no run); the audit pages say when the last one ran, and the app's nightly job
(inventory.nightly_jobs) whether tonight's is done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import ScanRun


def record(
    session: so.Session,
    *,
    started: dt.datetime,
    as_of: dt.date,
    municipality_id: int | None,
    rules: list[str] | None,
    counts: dict[str, Any],
) -> None:
    """Keep the full scan just made: the rules run (None: all), what each found
    (`ScanResult.as_dict()["rules"]`) and the source of the transaction's changes
    (`scan`, `schedule`, `demo`...)."""
    session.execute(
        sa.insert(ScanRun).values(
            started_at=started,
            finished_at=sa.func.clock_timestamp(),
            as_of=as_of,
            municipality_id=municipality_id,
            rules=rules,
            source=sa.func.nullif(sa.func.current_setting("inventory.source", True), ""),
            counts=counts,
        )
    )


def last_finished(session: so.Session, municipality_id: int | None = None) -> dt.datetime | None:
    """When the last full scan covering `municipality_id` (None: the whole inventory)
    with every rule finished, or None if none ever did."""
    covers = ScanRun.municipality_id.is_(None)
    if municipality_id is not None:
        covers = covers | (ScanRun.municipality_id == municipality_id)
    return session.scalar(
        sa.select(sa.func.max(ScanRun.finished_at)).where(covers, ScanRun.rules.is_(None))
    )
