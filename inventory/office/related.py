"""What a record page shows besides the record: related records and its map; and the
record's JSON flattened for lists and forms."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from inventory.models import (
    Building,
    ContractObject,
    Inspection,
    LeaseContract,
    Payment,
)
from inventory.office import maps
from inventory.services.permissions import Actor
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


def _rows(session: so.Session, actor: Actor, kind: str, query) -> list[dict[str, Any]]:
    return [
        flat(kind, KINDS[kind].to_json(session, obj))
        for obj in session.scalars(query.limit(50)).unique()
    ]


def related(session: so.Session, actor: Actor, name: str, obj: Any) -> list[dict[str, Any]]:
    """Sections of related records: (kind, rows) the actor may read (same municipality)."""
    sections: list[dict[str, Any]] = []

    def add(kind: str, query, title: str | None = None) -> None:
        sections.append({"kind": kind, "title": title, "rows": _rows(session, actor, kind, query)})

    live = LeaseContract.archived_at.is_(None)
    if name == "parcels":
        add(
            "contracts",
            sa.select(LeaseContract)
            .join(ContractObject)
            .where(ContractObject.parcel_id == obj.id, live)
            .order_by(LeaseContract.id.desc()),
        )
        add("buildings", sa.select(Building).where(Building.parcel_id == obj.id))
        add(
            "inspections",
            sa.select(Inspection)
            .where(Inspection.parcel_id == obj.id)
            .order_by(Inspection.inspected_on.desc()),
        )
    elif name == "buildings":
        add(
            "contracts",
            sa.select(LeaseContract)
            .join(ContractObject)
            .where(ContractObject.building_id == obj.id, live),
        )
        add("inspections", sa.select(Inspection).where(Inspection.building_id == obj.id))
    elif name == "lessees":
        add(
            "contracts",
            sa.select(LeaseContract)
            .where(LeaseContract.lessee_id == obj.id)
            .order_by(LeaseContract.id.desc()),
        )
    elif name == "contracts":
        add(
            "payments",
            sa.select(Payment)
            .where(Payment.contract_id == obj.id, Payment.archived_at.is_(None))
            .order_by(Payment.paid_on.desc()),
        )
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
    elif name == "inspections":
        from inventory.services.photos import photos_of

        sections.append(
            {
                "kind": "photos",
                "rows": [
                    {"id": p.id, "original_name": p.original_name, "size_bytes": p.size_bytes}
                    for p in photos_of(session, obj.id)
                ],
            }
        )
    elif name == "payments":
        add("contracts", sa.select(LeaseContract).where(LeaseContract.id == obj.contract_id))
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
