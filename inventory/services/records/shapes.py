"""Checks on the polygons clients send for parcels and buildings.

Conversion goes through inventory.services.geometry; the spatial tests run in PostGIS,
measuring in Kyrg-06 (`inventory_area_m2`), with the geometry as a bound parameter.
"""

from __future__ import annotations

from typing import Any

import shapely
import shapely.geometry
import sqlalchemy as sa
import sqlalchemy.orm as so
from shapely.geometry import MultiPolygon

from inventory.models import Parcel
from inventory.services import geometry as geo
from inventory.services.errors import ValidationError

#: Slivers below this many m² (digitising noise) are neither "outside" nor "overlapping".
TOLERANCE_M2 = 1.0


def polygon(value: Any, field: str = "geometry") -> MultiPolygon:
    """A valid (Multi)Polygon from a GeoJSON geometry object in EPSG:4326, or 400."""
    if not isinstance(value, dict) or "type" not in value:
        raise ValidationError("expected a GeoJSON Polygon or MultiPolygon", field=field)
    try:
        shape = shapely.geometry.shape(value)
    except Exception:  # shapely raises several kinds for malformed coordinates
        raise ValidationError("not a readable GeoJSON geometry", field=field) from None
    shape = geo.as_multipolygon(shape, field=field)
    if shape is None:
        raise ValidationError("the polygon is empty", field=field)
    problem = geo.validity_problem(shape)
    if problem:
        raise ValidationError("invalid polygon: %(problem)s", field=field, problem=problem)
    minx, miny, maxx, maxy = shape.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise ValidationError("coordinates must be longitude, latitude (EPSG:4326)", field=field)
    return shape


def _bound(shape: MultiPolygon):
    return sa.func.ST_GeomFromEWKT(sa.literal(f"SRID={geo.SRID};{shape.wkt}", sa.Text))


#: The message of a polygon refused for lying outside its municipality (pybabel
#: extracts it from the ValidationError below; imports report it per row).
OUTSIDE = "the polygon lies outside the municipality boundary (%(outside)s m² outside)"


def require_inside(
    session: so.Session, municipality_id: int, shape: MultiPolygon, field: str = "geometry"
) -> None:
    """400 when more than TOLERANCE_M2 of the shape lies outside the municipality."""
    outside = outside_m2(session, municipality_id, [shapely.to_wkb(shape)])[0]
    if outside is not None and outside > TOLERANCE_M2:
        raise ValidationError(
            "the polygon lies outside the municipality boundary (%(outside)s m² outside)",
            field=field,
            outside=outside,
        )


def outside_m2(
    session: so.Session, municipality_id: int, wkbs: list[bytes | None]
) -> list[float | None]:
    """For each polygon (WKB in EPSG:4326, or None) the m² (Kyrg-06) lying outside the
    municipality's boundary; None for a missing polygon or a municipality without a
    boundary. One statement for a whole file: the rule the API applies to one polygon
    (require_inside) and imports to every row."""
    if not any(w is not None for w in wkbs):
        return [None] * len(wkbs)
    rows = session.execute(
        sa.text(
            "SELECT g.n, inventory_area_m2(ST_Difference("
            "ST_SetSRID(ST_GeomFromWKB(g.wkb), :srid), mu.boundary)) "
            "FROM unnest(CAST(:wkbs AS bytea[])) WITH ORDINALITY AS g(wkb, n) "
            "JOIN municipality mu ON mu.id = :m AND mu.boundary IS NOT NULL "
            "WHERE g.wkb IS NOT NULL"
        ),
        {
            "wkbs": [bytes(w) if w is not None else None for w in wkbs],
            "m": municipality_id,
            "srid": geo.SRID,
        },
    )
    found = {int(n): (float(a) if a is not None else None) for n, a in rows}
    return [found.get(i + 1) for i in range(len(wkbs))]


def overlapping_parcels(
    session: so.Session, municipality_id: int, shape: MultiPolygon, exclude_id: int | None = None
) -> list[dict[str, Any]]:
    """Unarchived parcels of the municipality overlapping the shape, with the overlap."""
    g = _bound(shape)
    overlap = sa.func.inventory_area_m2(sa.func.ST_Intersection(Parcel.geom, g))
    rows = session.execute(
        sa.select(Parcel.id, Parcel.ident_code, overlap.label("overlap"))
        .where(
            Parcel.municipality_id == municipality_id,
            Parcel.archived_at.is_(None),
            Parcel.id != (exclude_id or 0),
            sa.func.ST_Intersects(Parcel.geom, g),
            overlap > TOLERANCE_M2,
        )
        .order_by(Parcel.id)
    )
    return [{"id": r.id, "ident_code": r.ident_code, "overlap_m2": float(r.overlap)} for r in rows]


def feature_geometry(value) -> dict | None:
    """A geometry column's value as a GeoJSON geometry."""
    return geo.to_geojson(geo.from_db(value))
