"""Helpers of the anomaly tests: a fixed scan date and the flags a scan leaves."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from inventory import models as m
from inventory.services.anomalies import scan

AS_OF = dt.date(2026, 11, 1)


def flags(session, rule: str, **kw) -> dict[str, m.AnomalyFlag]:
    """Scan with one rule at AS_OF and return that rule's open flags by fingerprint."""
    scan(session, as_of=kw.pop("as_of", AS_OF), rules=[rule], **kw)
    found = session.scalars(
        sa.select(m.AnomalyFlag).where(
            m.AnomalyFlag.rule == rule, m.AnomalyFlag.status == m.FlagStatus.OPEN
        )
    )
    return {flag.fingerprint: flag for flag in found}


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
