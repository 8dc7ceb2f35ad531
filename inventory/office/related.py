"""What a record page shows besides the record: related records and its map; and the
record's JSON flattened for lists and forms."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from inventory.models import Building, ContractObject, LeaseContract
from inventory.office import maps
from inventory.services.permissions import Actor
from inventory.services.photos import photos_of
from inventory.services.records import KINDS


def flat(name: str, item: dict[str, Any]) -> dict[str, Any]:
    """A record's JSON as one flat dict (GeoJSON Features have their properties inside)."""
    values = dict(item.get("properties", item))
    if name == "contracts":
        values["lessee"] = item["lessee"]["name"]
    return values


def form_values(name: str, item: dict[str, Any]) -> dict[str, Any]:
    """The record's values as the edit form shows them (strings, codes)."""
    values = flat(name, item)
    return {k: ("" if v is None else v) for k, v in values.items()}


def _rows(session: so.Session, kind: str, query) -> list[dict[str, Any]]:
    """Up to 50 records of `kind` as flat rows, each with its `heading`: the value of the
    kind's first list column (what a list links by)."""
    first = min((f for f in KINDS[kind].fields if f.listed), key=lambda f: f.listed).name
    rows = []
    for obj in session.scalars(query.limit(50)).unique():
        row = flat(kind, KINDS[kind].to_json(session, obj))
        row["heading"] = row.get(first)
        rows.append(row)
    return rows


def _newest_first(kind) -> Any:
    return kind.newest_first if kind.newest_first is not None else kind.model.id.desc()


def related(session: so.Session, actor: Actor, name: str, obj: Any) -> list[dict[str, Any]]:
    """Sections of related records: (kind, rows) of the record's municipality.

    Derived from the kinds' descriptors: the records whose `record` fields point at this
    one (a parcel's buildings and inspections, a lessee's contracts, a contract's
    payments) and the records this one's fields point at (a payment's contract, a
    building's parcel); plus what goes through a contract's objects (the contracts on a
    parcel or building, the buildings of a contract), a contract's chain of amendments and
    renewals, and an inspection's photos. Archived records are left out.
    """
    sections: list[dict[str, Any]] = []

    def add(kind: str, query, title: Any = None) -> None:
        model = KINDS[kind].model
        query = query.where(model.archived_at.is_(None))
        sections.append({"kind": kind, "title": title, "rows": _rows(session, kind, query)})

    contracts = KINDS["contracts"]
    if name in ("parcels", "buildings"):
        column = ContractObject.parcel_id if name == "parcels" else ContractObject.building_id
        add(
            "contracts",
            sa.select(LeaseContract)
            .join(ContractObject)
            .where(column == obj.id)
            .order_by(_newest_first(contracts)),
        )
    for other_name, other in KINDS.items():
        for f in other.fields:
            if f.type == "record" and f.record == name and f.writable and other_name != name:
                column = getattr(other.model, f.attribute)
                add(
                    other_name,
                    other.select().where(column == obj.id).order_by(_newest_first(other)),
                )
    if name == "contracts":
        building_ids = [o.building_id for o in obj.objects if o.building_id]
        if building_ids:
            add("buildings", sa.select(Building).where(Building.id.in_(building_ids)))
        # The chain of amendments and renewals: what this one continues and what
        # continues it.
        add(
            "contracts",
            sa.select(LeaseContract)
            .where(sa.or_(LeaseContract.id == obj.previous_id, LeaseContract.previous_id == obj.id))
            .order_by(LeaseContract.id),
            title=str(_l("Earlier and later contracts")),
        )
    for f in KINDS[name].fields:
        target = getattr(obj, f.attribute, None) if f.type == "record" else None
        if target is not None and f.writable and f.record != name:
            model = KINDS[f.record].model
            add(f.record, KINDS[f.record].select().where(model.id == target), f.label)
    if name == "inspections":
        sections.append(
            {
                "kind": "photos",
                "rows": [
                    {"id": p.id, "original_name": p.original_name, "size_bytes": p.size_bytes}
                    for p in photos_of(session, obj.id)
                ],
            }
        )
    return sections


def record_map(session: so.Session, name: str, obj: Any, item: dict[str, Any]):
    """The small map of a record page: the parcel or building; a contract's leased
    objects; an inspection's parcel or building and where the inspector stood. None for
    lessees and payments."""
    from inventory.services.records.shapes import feature_geometry

    if name in ("parcels", "buildings"):
        return maps.record_map(item.get("geometry"))
    if name == "contracts":
        return maps.record_map(
            *[feature_geometry(o.parcel.geom if o.parcel else o.building.geom) for o in obj.objects]
            or [None]
        )
    if name == "inspections":
        place = obj.parcel if obj.parcel_id else obj.building
        return maps.record_map(
            feature_geometry(place.geom) if place else None, point=item.get("position")
        )
    return None
