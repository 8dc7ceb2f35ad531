"""What the parcel map editor shows around a parcel: its neighbours while the officer
draws, and, before a drawn polygon is saved, which of them it would overlap and by how
much.

Both are read-only and scoped like every read: the parcel must be one the actor may
read (the check, one the actor may change), and only parcels of its own municipality are
returned. The spatial work runs in PostGIS; the overlap test is the one the save itself
applies (shapes.overlapping_parcels), so the warning before the save and the one after
it never disagree.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Parcel
from inventory.services import geometry as geo
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor, require_write
from inventory.services.records import shapes
from inventory.services.records.parcels import kind as parcels

#: At most this many neighbours are drawn at once (a few city blocks).
MAX_NEIGHBOURS = 400
#: The widest box (degrees of longitude or latitude, about 5.5 km) neighbours are asked for.
MAX_BOX_DEGREES = 0.05
#: How far around a parcel (degrees, about 200 m) its neighbours are found by default.
AROUND = 0.002


def parse_box(raw: str | None) -> tuple[float, float, float, float]:
    """west,south,east,north from the query string, checked, or a ValidationError."""
    try:
        west, south, east, north = (float(part) for part in (raw or "").split(","))
    except ValueError:
        raise ValidationError("expected bbox=west,south,east,north", field="bbox") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValidationError("expected bbox=west,south,east,north", field="bbox")
    if east - west > MAX_BOX_DEGREES or north - south > MAX_BOX_DEGREES:
        raise ValidationError("zoom in to see the neighbouring parcels", field="bbox")
    return west, south, east, north


def _feature(row) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": row.id,
        "geometry": geo.to_geojson(geo.from_db(row.geom)),
        "properties": {"id": row.id, "ident_code": row.ident_code, "address": row.address},
    }


def in_box(
    session: so.Session,
    municipality_ids: list[int] | None,
    box: tuple[float, float, float, float],
    exclude_id: int | None = None,
) -> dict[str, Any]:
    """The unarchived parcels within `box` (of `municipality_ids` when given), as a GeoJSON
    FeatureCollection of id, code and address; `truncated` says when more than
    MAX_NEIGHBOURS were there."""
    envelope = sa.func.ST_MakeEnvelope(*box, geo.SRID)
    query = sa.select(Parcel.id, Parcel.ident_code, Parcel.address, Parcel.geom).where(
        Parcel.archived_at.is_(None),
        Parcel.id != (exclude_id or 0),
        Parcel.geom.is_not(None),
        sa.func.ST_Intersects(Parcel.geom, envelope),
    )
    if municipality_ids is not None:
        query = query.where(Parcel.municipality_id.in_(municipality_ids))
    rows = session.execute(query.order_by(Parcel.id).limit(MAX_NEIGHBOURS + 1)).all()
    return {
        "type": "FeatureCollection",
        "features": [_feature(r) for r in rows[:MAX_NEIGHBOURS]],
        "truncated": len(rows) > MAX_NEIGHBOURS,
    }


def near(session: so.Session, actor: Actor, parcel_id: int, bbox: str | None) -> dict[str, Any]:
    """The other parcels of the parcel's municipality within `bbox` (the query string's
    west,south,east,north; without one, around the parcel itself), as in_box."""
    parcel = parcels.load(session, actor, parcel_id)
    if bbox:
        box = parse_box(bbox)
    elif parcel.geom is not None:
        west, south, east, north = geo.from_db(parcel.geom).buffer(AROUND).bounds
        box = (west, south, east, north)
    else:
        return {"type": "FeatureCollection", "features": [], "truncated": False}
    return in_box(session, [parcel.municipality_id], box, exclude_id=parcel.id)


def check_shape(session: so.Session, actor: Actor, parcel_id: int, geometry: Any) -> dict[str, Any]:
    """What saving `geometry` (GeoJSON, EPSG:4326) as the parcel's polygon would meet,
    without saving it: a ValidationError where the save would refuse it (invalid, outside
    the municipality), else its measured area and the neighbours it overlaps, each with
    the overlap in m² and its own polygon, largest overlap first."""
    parcel = parcels.load(session, actor, parcel_id)
    require_write(actor, parcel.municipality_id)
    shape = shapes.polygon(geometry)
    shapes.require_inside(session, parcel.municipality_id, shape)
    overlaps = shapes.overlapping_parcels(session, parcel.municipality_id, shape, parcel.id)
    drawn = {
        r.id: r
        for r in session.execute(
            sa.select(Parcel.id, Parcel.ident_code, Parcel.address, Parcel.geom).where(
                Parcel.id.in_([o["id"] for o in overlaps])
            )
        )
    }
    found = [
        {**_feature(drawn[o["id"]]), "overlap_m2": round(o["overlap_m2"], 2)} for o in overlaps
    ]
    found.sort(key=lambda f: -f["overlap_m2"])
    return {
        "measured_area": round(geo.measured_area_m2(shape), 2),
        "overlap_m2": round(sum(f["overlap_m2"] for f in found), 2),
        "overlaps": found,
    }
