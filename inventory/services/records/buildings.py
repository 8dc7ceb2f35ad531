"""Buildings and premises (имарат, жай / здание, помещение), as GeoJSON Features."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Building, BuildingKind, Parcel
from inventory.services import geometry as geo
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor
from inventory.services.records import fields, search, shapes
from inventory.services.records.common import Kind, iso, like_any, number


class Buildings(Kind):
    model = Building
    table = "building"
    spec = {
        "inventory_number": fields.text(40, required=True),
        "parcel_id": fields.integer(1),
        "parent_id": fields.integer(1),
        "kind": fields.choice(BuildingKind),
        "name": fields.text(300),
        "address": fields.text(300),
        "floor_area": fields.decimal(),
        "floors": fields.integer(1, 200),
        "year_built": fields.integer(1800, 2100),
    }
    required = ("inventory_number",)
    extra_fields = ("geometry",)

    def search(self, q: str):
        return sa.or_(
            like_any(q, Building.inventory_number, Building.address, Building.name),
            Building.parcel_id.in_(search.parcels_matching(q)),
            search.leased_under(q, building_id=Building.id),
        )

    def prepare(
        self, session: so.Session, actor: Actor, obj: Building, data, creating: bool
    ) -> list[dict[str, Any]]:
        for name, model in (("parcel_id", Parcel), ("parent_id", Building)):
            linked = getattr(obj, name)
            if linked is not None:
                other = session.get(model, linked)
                if other is None or other.municipality_id != obj.municipality_id:
                    raise ValidationError("no such record in this municipality", field=name)
        if data.get("geometry") is not None:
            shape = shapes.polygon(data["geometry"])
            shapes.require_inside(session, obj.municipality_id, shape)
            obj.geom = geo.to_db(shape)
        elif "geometry" in data:
            obj.geom = None
        return []

    def to_json(self, session: so.Session, b: Building) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": b.id,
            "geometry": shapes.feature_geometry(b.geom),
            "properties": {
                "id": b.id,
                "municipality": b.municipality.slug,
                "inventory_number": b.inventory_number,
                "parcel_id": b.parcel_id,
                "parent_id": b.parent_id,
                "kind": b.kind.value if b.kind else None,
                "name": b.name,
                "address": b.address,
                "floor_area": number(b.floor_area),
                "floors": b.floors,
                "year_built": b.year_built,
                "version": b.version,
                "created_at": iso(b.created_at),
                "updated_at": iso(b.updated_at),
                "archived_at": iso(b.archived_at),
            },
        }


kind = Buildings()
