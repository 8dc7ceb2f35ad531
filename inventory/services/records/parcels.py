"""Parcels (жер тилкеси / земельный участок) as GeoJSON Features.

A polygon is checked before it is stored: valid, in EPSG:4326, inside the
municipality. Overlapping other parcels is allowed (the papers may say so) but answered
with a warning naming them. `measured_area` is computed by the database in Kyrg-06 and
returned next to `documented_area`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import LandCategory, LandUse, Municipality, Parcel, ParcelStatus
from inventory.services import geometry as geo
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor
from inventory.services.records import fields, search, shapes
from inventory.services.records.common import Kind, iso, like_any, number


class Parcels(Kind):
    model = Parcel
    table = "parcel"
    spec = {
        "ident_code": fields.text(40, required=True),
        "address": fields.text(300),
        "land_category": fields.code_of(LandCategory),
        "designated_use": fields.code_of(LandUse),
        "status": fields.choice(ParcelStatus),
        "documented_area": fields.decimal(),
        "note": fields.text(),
    }
    required = ("ident_code",)
    extra_fields = ("geometry",)
    renamed = {"land_category": "land_category_id", "designated_use": "designated_use_id"}

    def search(self, q: str):
        # By its own code and address, or by a lessee or contract number leasing it.
        return sa.or_(
            like_any(q, Parcel.ident_code, Parcel.address),
            search.leased_under(q, parcel_id=Parcel.id),
        )

    def prepare(
        self, session: so.Session, actor: Actor, obj: Parcel, data, creating: bool
    ) -> list[dict[str, Any]]:
        _check_code(session, obj)
        if "geometry" not in data:
            return []
        if data["geometry"] is None:
            obj.geom = None
            return []
        shape = shapes.polygon(data["geometry"])
        shapes.require_inside(session, obj.municipality_id, shape)
        obj.geom = geo.to_db(shape)
        obj.geom_rejected, obj.geom_problem = None, None
        overlaps = shapes.overlapping_parcels(session, obj.municipality_id, shape, obj.id)
        if not overlaps:
            return []
        return [
            {
                "code": "overlap",
                "field": "geometry",
                "parcel_ids": [o["id"] for o in overlaps],
                "overlaps": overlaps,
                "message": "the polygon overlaps parcels "
                + ", ".join(o["ident_code"] for o in overlaps),
            }
        ]

    def to_json(self, session: so.Session, p: Parcel) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": p.id,
            "geometry": shapes.feature_geometry(p.geom),
            "properties": {
                "id": p.id,
                "municipality": p.municipality.slug,
                "ident_code": p.ident_code,
                "address": p.address,
                "land_category": p.land_category.code if p.land_category else None,
                "designated_use": p.designated_use.code if p.designated_use else None,
                "status": p.status.value if p.status else None,
                "documented_area": number(p.documented_area),
                "measured_area": number(p.measured_area),
                "geometry_problem": p.geom_problem,
                "note": p.note,
                "version": p.version,
                "created_at": iso(p.created_at),
                "updated_at": iso(p.updated_at),
                "archived_at": iso(p.archived_at),
            },
        }


def _check_code(session: so.Session, p: Parcel) -> None:
    """The identification code must match its municipality's pattern (in SQL, as stored)."""
    matches = session.scalar(
        sa.select(sa.literal(p.ident_code).regexp_match(Municipality.code_pattern)).where(
            Municipality.id == p.municipality_id
        )
    )
    if matches is False:
        raise ValidationError(
            "the identification code does not match the pattern of the "
            "municipality (e.g. 5-08-01-0001-0123)",
            field="ident_code",
        )


kind = Parcels()
