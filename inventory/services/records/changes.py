"""A recorded change told as people read it: field names, not columns; codes, not ids;
an area before and after, not a GeoJSON dict.

The history trigger keeps each row as the table has it (`designated_use_id: 7`,
`municipality_id: 1`, `geom: {...}`). `readable(session, kind, change)` turns the changed
columns into (field, before, after) triples a page shows with its formatting filters:
a reference id becomes its code (the page names the code in its language), a polygon
becomes its area in m², a point its coordinates, and columns the database derives
itself (a parcel's surface point, the search text) are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.records.common import Kind

#: Columns the database keeps from other columns: a change of theirs says nothing new.
DERIVED = frozenset({"surface_point", "search_text", "geom_rejected", "measured_area"})
#: Reference columns (an id) by the table whose code names them.
_REFERENCES = {
    "municipality_id": ("municipality", "slug", "municipality"),
    "land_category_id": ("land_category", "code", "land_category"),
    "designated_use_id": ("land_use", "code", "designated_use"),
    "contracted_use_id": ("land_use", "code", "contracted_use"),
    "observed_use_id": ("land_use", "code", "observed_use"),
}


@dataclass(frozen=True)
class Line:
    """One changed field: its name (a descriptor field, `geometry` or `position`), the
    value before and after (codes, numbers, text; None when empty), and `kind_of`:
    "value", "area" (m² of a polygon) or "point" ("lat, lon")."""

    field: str
    before: Any
    after: Any
    kind_of: str = "value"


_AREA = sa.text("""
SELECT ST_Area(ST_Transform(CASE WHEN ST_SRID(g) = 0 THEN ST_SetSRID(g, 4326) ELSE g END,
                            4326)::geography)
  FROM ST_GeomFromGeoJSON(CAST(:geojson AS text)) AS g
""")


def _area(session: so.Session, geojson: Any) -> float | None:
    """The polygon's area in m² (on the ellipsoid), None when there is none."""
    if not isinstance(geojson, dict):
        return None
    value = session.scalar(_AREA, {"geojson": json.dumps(geojson)})
    return round(float(value), 2) if value is not None else None


def _point(value: Any) -> str | None:
    """A GeoJSON point as "lat, lon" (5 decimals, about a metre)."""
    if not isinstance(value, dict) or value.get("type") != "Point":
        return None
    lon, lat = value["coordinates"][:2]
    return f"{lat:.5f}, {lon:.5f}"


def _code(session: so.Session, column: str, value: Any, cache: dict) -> Any:
    table, key, _field = _REFERENCES[column]
    if value is None:
        return None
    if (column, value) not in cache:
        cache[(column, value)] = session.scalar(
            sa.select(sa.column(key)).select_from(sa.table(table)).where(sa.column("id") == value)
        )
    return cache[(column, value)] or value


def readable(session: so.Session, kind: Kind, change: dict[str, Any]) -> list[Line]:
    """The lines of one change of a record of `kind` (a change from `kind.history`)."""
    before, after = change.get("before") or {}, change.get("after") or {}
    fields = {f.attribute: f.name for f in kind.fields}
    cache: dict = {}
    lines: list[Line] = []
    for column in change.get("changed", []):
        if column in DERIVED:
            continue
        old, new = before.get(column), after.get(column)
        if column == "geom":
            lines.append(Line("geometry", _area(session, old), _area(session, new), "area"))
        elif column == "position":
            lines.append(Line("position", _point(old), _point(new), "point"))
        elif column in _REFERENCES:
            field = _REFERENCES[column][2]
            lines.append(
                Line(field, _code(session, column, old, cache), _code(session, column, new, cache))
            )
        else:
            lines.append(Line(fields.get(column, column), old, new))
    return lines
