"""A contract's leased objects: the parcels and buildings it names, as the API sends them
(ids) and as officers write them (a parcel's identification code or a building's
inventory number), each checked to be of the contract's municipality."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Building, ContractObject, Parcel
from inventory.services.errors import ValidationError
from inventory.services.records import fields, references


def parse_objects(session: so.Session, municipality_id: int, raw: Any) -> list[ContractObject]:
    """Contract objects from [{"parcel_id": 1, "leased_area": 250}, {"building_id": 2}]."""
    if not isinstance(raw, list):
        raise ValidationError("expected a list of objects", field="objects")
    result = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise ValidationError(
                'expected {"parcel_id": ...} or {"building_id": ...}', field="objects"
            )
        values = fields.parse(
            session,
            item,
            {
                "parcel_id": fields.integer(1),
                "building_id": fields.integer(1),
                "leased_area": fields.decimal(),
            },
        )
        parcel_id, building_id = values.get("parcel_id"), values.get("building_id")
        if (parcel_id is None) == (building_id is None):
            raise ValidationError(
                "each object is one parcel_id or one building_id", field="objects"
            )
        kind, key = ("parcels", parcel_id) if parcel_id else ("buildings", building_id)
        references.require(
            session,
            kind,
            key,
            municipality_id,
            "objects",
            "no %(table)s %(id)s in this municipality",
            table=references.MODELS[kind].__tablename__,
            id=key,
        )
        result.append(
            ContractObject(
                parcel_id=parcel_id, building_id=building_id, leased_area=values.get("leased_area")
            )
        )
    return result


def object_keys(objects: list[ContractObject]) -> set[tuple]:
    return {(o.parcel_id, o.building_id, o.leased_area) for o in objects}


def reuse(current: list[ContractObject], wanted: list[ContractObject]) -> list[ContractObject]:
    """`wanted`, keeping the rows already there for the same parcel or building.

    An object kept is updated in place rather than deleted and inserted again, which
    the unique (contract, object) rule would refuse within one flush, and its history
    shows a changed leased area instead of a removal and an addition.
    """
    existing = {(o.parcel_id, o.building_id): o for o in current}
    result = []
    for item in wanted:
        kept = existing.pop((item.parcel_id, item.building_id), None)
        if kept is None:
            result.append(item)
        else:
            if kept.leased_area != item.leased_area:
                kept.leased_area = item.leased_area
            result.append(kept)
    return result


def resolve_objects(
    session: so.Session, municipality_id: int, rows: list[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Objects named as officers name them, as the `objects` a contract takes.

    Each row is {"ref": identification code of a parcel or inventory number of a
    building, "leased_area": ...}; a ref matching neither in the municipality (archived
    records included, the papers may still name them) is a ValidationError naming it.
    """
    result = []
    for row in rows:
        ref = str(row.get("ref") or "").strip()
        parcel_id = session.scalar(
            sa.select(Parcel.id).where(
                Parcel.municipality_id == municipality_id, Parcel.ident_code == ref
            )
        )
        item: dict[str, Any] = {"leased_area": row.get("leased_area")}
        if parcel_id is not None:
            item["parcel_id"] = parcel_id
        else:
            building_id = session.scalar(
                sa.select(Building.id).where(
                    Building.municipality_id == municipality_id, Building.inventory_number == ref
                )
            )
            if building_id is None:
                raise ValidationError(
                    "no parcel with the identification code or building "
                    "with the inventory number '%(ref)s' in this "
                    "municipality",
                    field="objects",
                    ref=ref,
                )
            item["building_id"] = building_id
        result.append(item)
    return result
