"""Buildings and premises (имарат, жай / здание, помещение), as GeoJSON Features."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from inventory.models import Building, BuildingKind
from inventory.services import geometry as geo
from inventory.services.permissions import Actor
from inventory.services.records import search, shapes
from inventory.services.records.common import Kind, iso, like_any
from inventory.services.records.descriptor import Field, plain_json

FIELDS = (
    Field(
        "inventory_number",
        _l("Inventory number"),
        required=True,
        max_length=40,
        listed=1,
        sort=Building.inventory_number,
        public=True,
        synonyms=("инвентарный номер", "инв номер", "инвентардык номер"),
    ),
    Field(
        "parcel_id",
        _l("Parcel"),
        "record",
        record="parcels",
        filter="parcel_id",
        import_as="parcel_ident_code",
        import_label=_l("Parcel identification code"),
        synonyms=("код участка", "идентификационный код участка"),
    ),
    Field(
        "kind",
        _l("Kind"),
        "choice",
        enum=BuildingKind,
        public=True,
        values={"building": _l("Building"), "premise": _l("Premise")},
        synonyms=("вид",),
    ),
    Field(
        "name",
        _l("Name"),
        max_length=300,
        listed=2,
        public=True,
        synonyms=("наименование", "аталышы"),
    ),
    Field(
        "address",
        _l("Address"),
        max_length=300,
        listed=3,
        sort=Building.address,
        public=True,
        synonyms=("адрес", "дарек"),
    ),
    Field(
        "floor_area",
        _l("Floor area, m²"),
        "decimal",
        listed=4,
        sort=Building.floor_area,
        public=True,
        synonyms=("площадь", "аянты"),
    ),
    Field("floors", _l("Floors"), "integer", low=1, high=200, synonyms=("этажность", "кабаттар")),
    Field(
        "year_built",
        _l("Year built"),
        "integer",
        low=1800,
        high=2100,
        synonyms=("год постройки", "курулган жылы"),
    ),
    Field(
        "parent_id",
        _l("Part of building"),
        "record",
        record="buildings",
        form=False,
        import_as="parent_inventory_number",
        import_label=_l("Inventory number of the building it is part of"),
    ),
    Field("geometry", _l("Polygon"), "geometry", form=False, public=True),
)


class Buildings(Kind):
    model = Building
    table = "building"
    name = "buildings"
    title = _l("Buildings")
    one = _l("Building")
    fields = FIELDS
    searched = "inventory number, address or name"
    feature = True

    def search(self, q: str):
        return sa.or_(
            like_any(q, Building.inventory_number, Building.address, Building.name),
            Building.parcel_id.in_(search.parcels_matching(q)),
            search.leased_under(q, building_id=Building.id),
        )

    def prepare(
        self, session: so.Session, actor: Actor, obj: Building, data, creating: bool
    ) -> list[dict[str, Any]]:
        self.check_references(session, obj)  # its parcel and the building it is part of
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
                **plain_json(self.fields, b),
                "version": b.version,
                "created_at": iso(b.created_at),
                "updated_at": iso(b.updated_at),
                "archived_at": iso(b.archived_at),
            },
        }


kind = Buildings()
