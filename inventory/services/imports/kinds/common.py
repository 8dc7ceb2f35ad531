"""Helpers the kinds share: fields from the record descriptors, geometry checks and
reference lookups."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import shapely
import sqlalchemy as sa

from inventory.services import geometry as geo
from inventory.services.imports import values as v
from inventory.services.imports.base import Context, Field, Row
from inventory.services.records import KINDS, shapes
from inventory.services.records.descriptor import Field as Described

#: How an import reads a cell of each field type (office formats: "12 500,00",
#: dd.mm.yyyy, да/нет); codes and keys are text, looked up when rows are resolved.
_PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": v.text,
    "textarea": v.text,
    "code": v.text,
    "record": v.text,
    "integer": v.parse_int,
    "date": v.parse_date,
    "boolean": v.parse_bool,
}


def _parser(f: Described) -> Callable[[Any], Any]:
    if f.type == "decimal":
        return v.parse_positive_decimal if f.positive else v.parse_non_negative_decimal
    if f.type == "choice":
        return v.choice(*[m.value for m in f.enum], labels=dict(f.values))
    return _PARSERS[f.type]


def described_fields(
    kind: str, parsers: Mapping[str, Callable[[Any], Any]] | None = None
) -> tuple[Field, ...]:
    """The import columns of a record kind, from its descriptor
    (inventory.services.records): every importable field, under its import name (a
    record named by its key: `lessee_key`), with its header synonyms and the parser of
    its type; `parsers` gives a field (by descriptor name) a parser of its own."""
    parsers = parsers or {}
    return tuple(
        Field(
            f.import_as or f.name,
            parsers.get(f.name) or _parser(f),
            required=f.required if f.import_required is None else f.import_required,
            synonyms=f.synonyms,
        )
        for f in KINDS[kind].fields
        if f.importable and f.type not in ("geometry", "shown")
    )


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


def check_inside(ctx: Context, rows: list[Row]) -> None:
    """The API's rule for a polygon, on every row: no more than shapes.TOLERANCE_M2 of it
    outside its municipality's boundary (records.shapes.require_inside, with its
    message). Rows need `ids` "municipality", "geom" (WKB) and "valid"; an invalid polygon
    is left to the rules about invalid polygons. A polygon the boundary covers has
    nothing outside (decided in GEOS, by `mark_covered` or here): only the others are
    measured, one statement per municipality."""
    by_place = _placed(rows)
    _read_boundaries(ctx, [place for place in by_place if place not in _known(ctx)])
    _mark(ctx, by_place)
    for place, placed in by_place.items():
        placed = [row for row in placed if not row.ids.get("covered")]
        if not placed:
            continue
        areas = shapes.outside_m2(ctx.session, place, [row.ids["geom"] for row in placed])
        for row, outside in zip(placed, areas, strict=True):
            if outside is not None and outside > shapes.TOLERANCE_M2:
                ctx.problem(row.number, "geometry", shapes.OUTSIDE, outside=round(outside, 2))


def mark_covered(ctx: Context, rows: list[Row]) -> None:
    """Set `ids["covered"]` of each placed row whose municipality's boundary this import
    has read already (True when the boundary covers the polygon); uses no database, so
    it can run while a chunk is written. A row left unmarked is measured by check_inside."""
    _mark(ctx, _placed(rows))


def _mark(ctx: Context, by_place: dict[int, list[Row]]) -> None:
    """mark_covered of rows already grouped by municipality (_placed)."""
    known = _known(ctx)
    for place, placed in by_place.items():
        placed = [row for row in placed if "covered" not in row.ids]
        boundary = known.get(place)
        if boundary is None or not placed:
            continue
        polygons = shapely.from_wkb([row.ids["geom"] for row in placed])
        for row, inside in zip(placed, shapely.covered_by(polygons, boundary), strict=True):
            row.ids["covered"] = bool(inside)


def _placed(rows: list[Row]) -> dict[int, list[Row]]:
    """{municipality id: its rows with a valid polygon}."""
    by_place: dict[int, list[Row]] = {}
    for row in rows:
        if row.ids.get("municipality") and row.ids.get("geom") and row.ids.get("valid"):
            by_place.setdefault(row.ids["municipality"], []).append(row)
    return by_place


def _known(ctx: Context) -> dict[int, Any]:
    """{municipality id: its boundary, prepared, or None} of the boundaries this import
    has read (None: no boundary, or an invalid one that leaves every polygon to
    outside_m2)."""
    return ctx.memo("boundaries", lambda _session: {})


def _read_boundaries(ctx: Context, ids: list[int]) -> None:
    """Read the boundaries of these municipalities into `_known(ctx)`."""
    if not ids:
        return
    known = _known(ctx)
    known.update(dict.fromkeys(ids))
    for place, wkb in ctx.session.execute(
        sa.text(
            "SELECT id, ST_AsBinary(boundary) FROM municipality "
            "WHERE id = ANY(:ids) AND boundary IS NOT NULL"
        ),
        {"ids": ids},
    ):
        shape = shapely.from_wkb(bytes(wkb))
        if shapely.is_valid(shape):
            shapely.prepare(shape)
            known[place] = shape


def point_wkb(ctx: Context, row: Row) -> bytes | None:
    if row.geometry is None or row.geometry.is_empty:
        return None
    if row.geometry.geom_type != "Point":
        ctx.problem(
            row.number, "geometry", "expected a point, got a %(kind)s", kind=row.geometry.geom_type
        )
        return None
    return shapely.to_wkb(row.geometry)
