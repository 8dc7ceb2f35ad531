"""Staging tables: rows are COPYed into a temporary table, then merged with one SQL
statement, so an import of a million rows is a handful of statements, not a million."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
import sqlalchemy.orm as so


def stage(
    session: so.Session, table: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence]
) -> None:
    """Create temp table `table` with (name, sql type) columns and COPY `rows` into it.

    The table lives until the end of the transaction (ON COMMIT DROP), and is dropped
    first if an earlier import in the same transaction left one.
    """
    session.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    ddl = ", ".join(f"{name} {sql_type}" for name, sql_type in columns)
    session.execute(sa.text(f"CREATE TEMP TABLE {table} ({ddl}) ON COMMIT DROP"))
    raw = session.connection().connection.driver_connection
    names = ", ".join(name for name, _ in columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def counts(result: sa.CursorResult, staged: int) -> tuple[int, int, int]:
    """(created, updated, unchanged) from an upsert RETURNING (xmax = 0) AS inserted."""
    flags = [bool(r[0]) for r in result]
    created = sum(flags)
    updated = len(flags) - created
    return created, updated, staged - created - updated
