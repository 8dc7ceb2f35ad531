"""Moments as the country tells them: Asia/Bishkek, UTC+06:00 all year (no summer time).

Every export writes a moment (a timestamp) through here, so none is ever written without
its zone: ISO 8601 with the offset ("2026-12-02T14:05:00+06:00") wherever the format
holds text, and Bishkek wall time where a format cannot hold a zone (a spreadsheet
cell), which then says "UTC+06:00" beside it (`XLSX_FORMAT`). Dates (a contract's end,
a payment's day) are calendar days and carry no zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

#: The zone of every moment the inventory writes out.
ZONE = ZoneInfo("Asia/Bishkek")
#: The offset ZONE keeps, as written after a time.
OFFSET = "+06:00"
#: An XLSX number format for a Bishkek wall time that says which time it is.
XLSX_FORMAT = 'yyyy-mm-dd hh:mm "UTC+06:00"'


def local(value: dt.datetime) -> dt.datetime:
    """The moment in Bishkek time (zone-aware). A naive value is taken as UTC, as the
    database's `timestamptz` values are read."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZONE)


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 in Bishkek time with its offset, to the second; None stays None."""
    return None if value is None else local(value).isoformat(timespec="seconds")


def wall(value: dt.datetime | None) -> dt.datetime | None:
    """Bishkek wall time without a zone, for formats that hold none (XLSX cells)."""
    return None if value is None else local(value).replace(tzinfo=None)


def now() -> dt.datetime:
    """The current moment in Bishkek time."""
    return dt.datetime.now(ZONE)


def today() -> dt.date:
    """Today's date in Bishkek (a server on UTC would still be on yesterday until 06:00)."""
    return now().date()
