"""Inspections (текшерүү / обследование): what an inspector saw on a parcel or building."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Building, Inspection, LandUse, Parcel
from inventory.services import geometry as geo
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor
from inventory.services.records import fields, search
from inventory.services.records.common import Kind, iso, like_any


class Inspections(Kind):
    model = Inspection
    table = "inspection"
    spec = {
        "parcel_id": fields.integer(1),
        "building_id": fields.integer(1),
        "inspected_on": fields.date(required=True),
        "inspector": fields.text(200, required=True),
        "observed_use": fields.code_of(LandUse),
        "occupied": fields.boolean(),
        "note": fields.text(),
    }
    required = ("inspected_on", "inspector")
    renamed = {"observed_use": "observed_use_id"}
    has_municipality = False

    def search(self, q: str):
        return sa.or_(
            like_any(q, Inspection.inspector, Inspection.note),
            Inspection.parcel_id.in_(search.parcels_matching(q)),
            Inspection.building_id.in_(search.buildings_matching(q)),
        )

    def prepare(
        self, session: so.Session, actor: Actor, obj: Inspection, data, creating: bool
    ) -> list[dict[str, Any]]:
        """The inspection belongs to the municipality of what was inspected."""
        if obj.parcel_id is None and obj.building_id is None:
            raise ValidationError("name the parcel_id or building_id inspected", field="parcel_id")
        found = set()
        for name, model in (("parcel_id", Parcel), ("building_id", Building)):
            linked = getattr(obj, name)
            if linked is not None:
                other = session.get(model, linked)
                if other is None:
                    raise ValidationError("no such record", field=name)
                found.add(other.municipality_id)
        if len(found) != 1 or (obj.municipality_id and obj.municipality_id not in found):
            raise ValidationError(
                "the parcel and building must be of one municipality", field="building_id"
            )
        obj.municipality_id = found.pop()
        return []

    def to_json(self, session: so.Session, i: Inspection) -> dict[str, Any]:
        return {
            "id": i.id,
            "municipality_id": i.municipality_id,
            "parcel_id": i.parcel_id,
            "building_id": i.building_id,
            "inspected_on": iso(i.inspected_on),
            "inspector": i.inspector,
            "observed_use": i.observed_use.code if i.observed_use else None,
            "occupied": i.occupied,
            "note": i.note,
            # Where the inspector stood, when the phone gave it (GeoJSON Point).
            "position": geo.to_geojson(geo.from_db(i.position)),
            "version": i.version,
            "created_at": iso(i.created_at),
            "updated_at": iso(i.updated_at),
            "archived_at": iso(i.archived_at),
        }


kind = Inspections()
