"""Inspections (текшерүү / обследование): what an inspector saw on a parcel or building."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from inventory.models import Inspection, LandUse
from inventory.services import geometry as geo
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor
from inventory.services.records import references, search
from inventory.services.records.common import Kind, iso, like_any
from inventory.services.records.descriptor import Field, plain_json

FIELDS = (
    Field(
        "parcel_id",
        _l("Parcel"),
        "record",
        record="parcels",
        filter="parcel_id",
        import_as="parcel_ident_code",
        import_label=_l("Parcel identification code"),
        import_required=True,
        synonyms=("код участка", "идентификационный код"),
    ),
    Field(
        "building_id",
        _l("Building"),
        "record",
        record="buildings",
        filter="building_id",
        importable=False,
    ),
    Field(
        "inspected_on",
        _l("Inspected on"),
        "date",
        required=True,
        listed=1,
        sort=Inspection.inspected_on,
        synonyms=("дата обследования", "текшерүү күнү"),
    ),
    Field(
        "inspector",
        _l("Inspector"),
        required=True,
        max_length=200,
        listed=2,
        sort=Inspection.inspector,
        synonyms=("инспектор", "текшерүүчү"),
    ),
    Field(
        "observed_use",
        _l("Observed use"),
        "code",
        reference=LandUse,
        column="observed_use_id",
        listed=3,
        description="land use code",
        synonyms=("фактическое использование", "иш жүзүндө колдонуу"),
    ),
    Field(
        "occupied",
        _l("Occupied"),
        "boolean",
        listed=4,
        filter="occupied",
        values={True: _l("yes"), False: _l("no")},
        synonyms=("занят", "ээленген"),
    ),
    Field("note", _l("Note"), "textarea", synonyms=("примечание", "эскертүү")),
    # Where the inspector stood, when the phone gave it (a GeoJSON Point).
    Field(
        "position",
        _l("Where the inspector stood"),
        "shown",
        shows="point",
        computed=True,
        importable=False,
    ),
)


class Inspections(Kind):
    model = Inspection
    table = "inspection"
    name = "inspections"
    title = _l("Inspections")
    one = _l("Inspection")
    fields = FIELDS
    searched = "inspector or note"
    newest_first = Inspection.inspected_on.desc()
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
        for name, kind in (("parcel_id", "parcels"), ("building_id", "buildings")):
            linked = getattr(obj, name)
            if linked is not None:
                # Looked up without flushing the change under check (records.references).
                place = references.municipality_of(session, kind, linked)
                if place is None:
                    raise ValidationError("no such record", field=name)
                found.add(place)
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
            **plain_json(self.fields, i),
            "position": geo.to_geojson(geo.from_db(i.position)),
            "version": i.version,
            "created_at": iso(i.created_at),
            "updated_at": iso(i.updated_at),
            "archived_at": iso(i.archived_at),
        }


kind = Inspections()
