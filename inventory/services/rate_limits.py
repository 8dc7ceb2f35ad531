"""Counting attempts atomically: limits that hold under parallel requests.

A limit is "count the recent rows, refuse at N, else add one". Two requests running side
by side would both count N-1 and both pass. `serialize` takes a PostgreSQL advisory lock
on the limited thing (a username, a client) for the rest of the transaction, so the
count and the row that follows it happen one request at a time; the lock is released by
the caller's commit or rollback.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so


def serialize(session: so.Session, scope: str, key: str) -> None:
    """Wait until no other transaction counts for (`scope`, `key`), then hold the lock
    until this transaction ends. Call it before counting."""
    session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"{scope}:{key}"},
    )
