"""Checking and writing a file's rows a chunk at a time, the next chunk checked while the
database writes the last.

An import of a large file spends its time in two places that can run side by side on two
cores: the app's process parsing and checking rows, and the database writing them (the
table's indexes and triggers). A kind whose rows can be written before the rows after them
are known (`Kind.chunk_rows`: parcels) is checked and written that many rows at a time:
while the database writes one chunk, from a worker thread that waits on it with the GIL
released, the app parses the next and makes the checks that need no database
(`Kind.prepare`: values named, polygons checked in GEOS, against the boundaries read
once per import); the checks that read the database (`Kind.resolve`) wait for the
write. Every other kind is checked whole and written in one go, as one chunk.

What is written and reported is the same either way. All writes happen inside the import's
savepoint (the caller's); from the first row with an error on, no further chunk is
written but every row is still checked, so the report lists every problem, and the caller
rolls the savepoint back: a file with an error writes nothing. Row numbers, duplicate keys
and counts run across chunks.
"""

from __future__ import annotations

import contextvars
from concurrent.futures import Future, ThreadPoolExecutor

import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as so

from inventory.services.imports import progress
from inventory.services.imports.base import (
    Context,
    Kind,
    check_duplicate_keys,
    parse_rows,
)
from inventory.services.imports.reading import Table
from inventory.services.imports.report import Problem
from inventory.services.imports.value_names import value_fields


def check_and_write(
    ctx: Context,
    kind: Kind,
    table: Table,
    mapping: dict[str, str],
    defaults: dict[str, str],
) -> so.SessionTransaction | None:
    """Parse, check and write every row of `table` as records of `kind`, chunk by chunk,
    inside a savepoint of the session; the counts (created, updated, unchanged) and the
    problems go to `ctx.report`, a database error last.

    Returns the savepoint holding the written rows, for the caller to keep (commit) or
    drop (a dry run); None when the report has errors, the savepoint then rolled back."""
    report = ctx.report
    total = len(table.records)
    size = kind.chunk_rows or total or 1
    seen: dict[tuple, int] = {}
    if size < total:
        # Name lookups read the database on first use: done before any write is in
        # flight, so parsing needs nothing but Python.
        for described in value_fields(kind).values():
            ctx.names.index(described)
    kind.preload(ctx)
    savepoint = ctx.session.begin_nested()
    writer = _Writer(ctx, kind, total, savepoint)
    try:
        for start in range(0, total or 1, size):
            stop = min(start + size, total)
            rows = parse_rows(
                ctx, kind, table.records, mapping, table.geometries, defaults, start, stop
            )
            # Parsing, the key check and `prepare` need no database: done while the
            # chunk before is written. `resolve` reads it: the session must be free.
            check_duplicate_keys(ctx, kind, rows, seen)
            kind.prepare(ctx, rows)
            writer.wait()
            kind.resolve(ctx, rows)
            progress.step("checked", stop, total)
            if report.ok and writer.error is None:
                writer.write(rows, last=stop >= total)
        writer.wait()
    except BaseException:
        writer.close()
        if savepoint.is_active:
            savepoint.rollback()
        raise
    writer.close()
    if writer.error is not None:
        report.problems.append(Problem(None, _constraint(writer.error), _db_message(writer.error)))
    if report.ok:
        return savepoint
    if savepoint.is_active:
        savepoint.rollback()
    return None


class _Writer:
    """Writes one chunk at a time: every chunk but the last on a worker thread, so the
    next can be checked meanwhile; `wait()` before the session is used again."""

    def __init__(
        self, ctx: Context, kind: Kind, total: int, savepoint: so.SessionTransaction
    ) -> None:
        self.ctx, self.kind, self.total, self.savepoint = ctx, kind, total, savepoint
        self.error: sa_exc.DBAPIError | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        self._pending_rows = 0
        self._written = 0

    def write(self, rows: list, last: bool) -> None:
        if last:  # nothing left to check meanwhile: written here and now
            self._done(lambda: self.kind.write(self.ctx, rows), len(rows))
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-write")
        # The worker runs in a copy of this context: the app context and the progress
        # listener are context variables.
        context = contextvars.copy_context()
        self._pending = self._pool.submit(context.run, self.kind.write, self.ctx, rows)
        self._pending_rows = len(rows)

    def wait(self) -> None:
        """Return once the chunk in flight, if any, is written (or failed)."""
        if self._pending is None:
            return
        pending, self._pending = self._pending, None
        self._done(pending.result, self._pending_rows)

    def _done(self, result, rows: int) -> None:
        try:
            created, updated, unchanged = result()
        except (sa_exc.IntegrityError, sa_exc.DataError) as exc:
            # The savepoint is rolled back at once so that the rest of the file can
            # still be checked (the checks read the database); nothing more is written.
            self.error = exc
            self.savepoint.rollback()
            return
        report = self.ctx.report
        report.created += created
        report.updated += updated
        report.unchanged += unchanged
        self._written += rows
        progress.step("written", self._written, self.total)

    def close(self) -> None:
        """Wait for the worker, if one was started, and end it (also after an error)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def _constraint(exc: sa_exc.DBAPIError) -> str | None:
    diag = getattr(exc.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


def _db_message(exc: sa_exc.DBAPIError) -> str:
    diag = getattr(exc.orig, "diag", None)
    primary = getattr(diag, "message_primary", None) or str(exc.orig).splitlines()[0]
    detail = getattr(diag, "message_detail", None)
    return f"{primary} ({detail})" if detail else primary
