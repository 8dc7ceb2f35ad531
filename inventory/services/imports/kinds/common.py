"""Helpers the kinds share: geometry checks and reference lookups."""
from __future__ import annotations

import shapely

from inventory.services import geometry as geo
from inventory.services.errors import ValidationError
from inventory.services.imports.base import Context, Row


def polygon_wkb(ctx: Context, row: Row, required: bool) -> tuple[bytes | None, bool, str | None]:
    """(WKB, is_valid, problem) of the row's polygon; non-polygons are errors, invalid
    polygons are kept (flagged) so the register entry is not lost."""
    try:
        multi = geo.as_multipolygon(row.geometry, row=row.number)
    except ValidationError as exc:
        ctx.problem(row.number, "geometry", exc.message)
        return None, False, None
    if multi is None:
        if required:
            ctx.problem(row.number, "geometry", "missing")
        return None, True, None
    problem = geo.validity_problem(multi)
    if problem:
        ctx.problem(row.number, "geometry",
                    f"invalid polygon ({problem}); kept aside for repair", "warning")
    return shapely.to_wkb(multi), problem is None, problem


def point_wkb(ctx: Context, row: Row) -> bytes | None:
    if row.geometry is None or row.geometry.is_empty:
        return None
    if row.geometry.geom_type != "Point":
        ctx.problem(row.number, "geometry", f"expected a point, got a {row.geometry.geom_type}")
        return None
    return shapely.to_wkb(row.geometry)
