"""Helpers the kinds share: geometry checks and reference lookups."""

from __future__ import annotations

import shapely

from inventory.services import geometry as geo
from inventory.services.imports.base import Context, Row


def polygon_wkbs(
    ctx: Context, rows: list[Row], required: bool
) -> list[tuple[bytes | None, bool, str | None]]:
    """(WKB, is_valid, problem) of each row's polygon, as a MultiPolygon. A geometry that
    is no polygon is an error; an invalid polygon is kept (flagged, a warning) so the
    register entry is not lost. Checked a whole file at a time (geometry.as_multipolygons)."""
    multis, errors = geo.as_multipolygons([row.geometry for row in rows])
    problems = geo.validity_problems(multis)
    wkbs = shapely.to_wkb(multis)
    out: list[tuple[bytes | None, bool, str | None]] = []
    for i, row in enumerate(rows):
        if i in errors:
            ctx.problem(row.number, "geometry", errors[i].template, **errors[i].params)
            out.append((None, False, None))
        elif multis[i] is None:
            if required:
                ctx.problem(row.number, "geometry", "missing")
            out.append((None, True, None))
        else:
            if problems[i]:
                ctx.problem(
                    row.number,
                    "geometry",
                    "invalid polygon (%(problem)s); kept aside for repair",
                    "warning",
                    problem=problems[i],
                )
            out.append((wkbs[i], problems[i] is None, problems[i]))
    return out


def point_wkb(ctx: Context, row: Row) -> bytes | None:
    if row.geometry is None or row.geometry.is_empty:
        return None
    if row.geometry.geom_type != "Point":
        ctx.problem(
            row.number, "geometry", "expected a point, got a %(kind)s", kind=row.geometry.geom_type
        )
        return None
    return shapely.to_wkb(row.geometry)
