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
from flask_babel import lazy_gettext as _l

from inventory.models import LandCategory, LandUse, Parcel, ParcelStatus
from inventory.services import geometry as geo
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor
from inventory.services.records import codes, search, shapes
from inventory.services.records.common import Kind, iso, like_any
from inventory.services.records.descriptor import Field, plain_json

#: Parcel statuses in words (the public map's legend and cards use them too).
STATUS_LABELS = {
    "free": _l("Free, offered for lease"),
    "leased": _l("Leased"),
    "municipal_use": _l("Used by a municipal institution"),
    "reserved": _l("Reserved"),
    "disputed": _l("Disputed"),
}

FIELDS = (
    Field(
        "ident_code",
        _l("Identification code"),
        required=True,
        max_length=40,
        listed=1,
        sort=Parcel.ident_code,
        public=True,
        synonyms=(
            "идентификационный код",
            "идентификациялык код",
            "код",
            "ид код",
            "code",
            "кадастровый номер",
            "кад номер",
            "кадастровый код",
            "кадастрдык номер",
            "кадастрдык код",
        ),
    ),
    Field(
        "address",
        _l("Address"),
        max_length=300,
        listed=2,
        sort=Parcel.address,
        public=True,
        synonyms=(
            "адрес",
            "дарек",
            "адрес (местоположение)",
            "местоположение",
            "местонахождение",
            "жайгашкан жери",
        ),
    ),
    Field(
        "land_category",
        _l("Land category"),
        "code",
        reference=LandCategory,
        column="land_category_id",
        public=True,
        description="land category code",
        synonyms=(
            "категория земель",
            "жер категориясы",
            "категория",
            "категория земли",
            "кат земель",
            "кат земли",
        ),
    ),
    Field(
        "designated_use",
        _l("Designated use"),
        "code",
        reference=LandUse,
        column="designated_use_id",
        filter="designated_use_id",
        public=True,
        description="land use code",
        synonyms=(
            "целевое назначение",
            "максаттуу багыты",
            "назначение",
            "вид разрешенного использования",
            "вид использования",
        ),
    ),
    Field(
        "status",
        _l("Status"),
        "choice",
        enum=ParcelStatus,
        values=STATUS_LABELS,
        listed=3,
        sort=Parcel.status,
        public=True,
        synonyms=("статус",),
    ),
    Field(
        "documented_area",
        _l("Documented area, m²"),
        "decimal",
        listed=4,
        sort=Parcel.documented_area,
        public=True,
        synonyms=(
            "площадь по документам",
            "площадь",
            "аянты",
            "документ боюнча аянты",
            "площадь, м²",
            "площадь м2",
            "площадь, кв. м",
            "площадь по документу",
            # as registers abbreviate it: "Площадь по док., м2"
            "площадь по док м2",
            "площадь по док",
        ),
    ),
    Field(
        "measured_area",
        _l("Measured area (Kyrg-06), m²"),
        "shown",
        shows="decimal",
        listed=5,
        sort=Parcel.measured_area,
        public=True,
        importable=False,
    ),
    Field(
        "geometry_problem", _l("Geometry problem"), "shown", column="geom_problem", importable=False
    ),
    Field("note", _l("Note"), "textarea", synonyms=("примечание", "эскертүү")),
    Field("geometry", _l("Polygon"), "geometry", form=False, public=True),
)


class Parcels(Kind):
    model = Parcel
    table = "parcel"
    name = "parcels"
    title = _l("Parcels")
    one = _l("Parcel")
    fields = FIELDS
    searched = "identification code or address"
    feature = True

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
                **plain_json(self.fields, p),
                "version": p.version,
                "created_at": iso(p.created_at),
                "updated_at": iso(p.updated_at),
                "archived_at": iso(p.archived_at),
            },
        }


def _check_code(session: so.Session, p: Parcel) -> None:
    """The identification code must match its municipality's pattern (in SQL, as
    stored): the check imports make too (records.codes)."""
    bad = codes.bad_codes(session, [(p.municipality_id, p.ident_code)])
    if bad:
        raise ValidationError(codes.MESSAGE, field="ident_code", example=next(iter(bad.values())))


kind = Parcels()
