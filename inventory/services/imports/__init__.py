"""Bulk import of officers' files, and of the demo data, through one pipeline.

    report = run_import(session, "parcels", Path("parcels.gpkg"), municipality="osh")

Any error leaves the database as it was and is listed in the report by row and field;
`dry_run=True` reports exactly what would be created and updated without keeping it.
Re-importing the same file updates records by their natural keys instead of adding
duplicates.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy.orm as so

from inventory.services.errors import ValidationError
from inventory.services.imports import chunks, placement, progress
from inventory.services.imports.base import Context, check_defaults, map_columns
from inventory.services.imports.kinds import KINDS
from inventory.services.imports.reading import read_table
from inventory.services.imports.report import ImportFailed, ImportReport, Problem
from inventory.services.imports.value_names import check_values

__all__ = ["KINDS", "ImportFailed", "ImportReport", "run_import"]


def run_import(
    session: so.Session,
    kind: str,
    path: Path,
    *,
    municipality: str | None = None,
    dry_run: bool = False,
    crs: int | str | None = None,
    encoding: str | None = None,
    columns: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    settings: Mapping[str, Any] | None = None,
    keep_malformed_codes: bool = False,
) -> ImportReport:
    """Import `path` as records of `kind`; return the report (check `report.ok`).

    `columns` maps fields to the file's headers where the names do not say it (the rest
    is matched by name and synonym); `defaults` gives a field a value, written as a file
    would write it, for every row whose cell is empty or that has no such column (a
    register without a "basis" column: `{"basis": "decision"}`); `values` gives the code
    of a field's value where its names and synonyms do not (`{"status": {"занят":
    "leased"}}`).

    Rows with a geometry must lie in the municipality (imports.placement); a file
    without .prj is refused with the coordinate systems that would fit. `settings` are
    the operator's settings (the app's config): given, the records written are re-checked
    for anomalies at once, as after a save (the demo loader leaves that to the scan).

    Every row passes the rules the API applies to one record: a parcel's code matches
    its municipality's pattern, a polygon lies inside its municipality, a contract's
    status changes only as an edit may change it. `keep_malformed_codes` turns refused
    codes into warnings, for the demo's planted register errors only.

    Nothing is written when the report has errors or when `dry_run` is set. The caller
    owns the transaction: on success the rows are in the session's transaction, to be
    committed by the caller.
    """
    if kind not in KINDS:
        raise ValidationError(
            "unknown kind '%(kind)s'; one of %(kinds)s",
            field="kind",
            kind=kind,
            kinds=", ".join(KINDS),
        )
    handler = KINDS[kind]
    report = ImportReport(kind=kind, source=path.name, dry_run=dry_run)
    ctx = Context(
        session=session,
        report=report,
        municipality_slug=municipality,
        values=check_values(session, handler, values),
        keep_malformed_codes=keep_malformed_codes,
    )
    try:
        table = read_table(path, crs=crs, encoding=encoding, unknown_crs="keep")
    except ValidationError as exc:
        report.problems.append(Problem(exc.row, exc.field, exc.template, params=exc.params))
        return report
    report.rows = len(table.records)
    progress.step("read", report.rows, report.rows)
    if getattr(handler, "placed", False):
        placement.check_table(ctx, table)
        if not report.ok:
            return report
    # Cells whose geometry could not be read, listed with the rows' other problems.
    for row, exc in table.geometry_errors.items():
        report.problems.append(Problem(row, exc.field, exc.template, params=exc.params))
    defaults = check_defaults(handler, defaults)
    mapping, missing = map_columns(handler, table.columns, columns, dbf=table.dbf)
    report.named = set(map_columns(handler, table.columns, dbf=table.dbf)[0])
    missing = [name for name in missing if name not in defaults]
    for name in missing:
        ctx.problem(
            None,
            name,
            "no column for this required field (columns found: %(columns)s)",
            columns=", ".join(table.columns),
        )
    if missing:
        return report
    if handler.geometry and table.geometries is None and handler.geometry_required:
        ctx.problem(None, "geometry", "the file has no geometry")
        return report
    savepoint = chunks.check_and_write(ctx, handler, table, mapping, defaults)
    if savepoint is None:
        return report
    if settings is not None and not dry_run:
        from inventory.services.imports.recheck import recheck_written

        recheck_written(session, report, settings)
        progress.step("rechecked", report.rows, report.rows)
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return report
