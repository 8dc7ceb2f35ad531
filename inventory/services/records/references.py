"""Every reference a write makes stays inside one municipality: the one place that checks it.

A record names other records by id: a building its parcel and the building it is part
of, a contract its lessee and the parcels and buildings it leases, a payment its
contract, an inspection its parcel or building. The descriptor says which fields do
(`Field(type="record", record=<kind>)`, and a contract's `objects`), so a reference added
there is checked here without more code.

The record's own municipality is what the actor must be allowed to write
(`Kind.begin_write`); every record it names must be of that same municipality. So the
API, the office forms, amendments and renewals, payments, inspections and restores all
refuse an id of another city, with the answer a missing id gets: nothing tells whether
the other city has such a record. Imports name references by their keys looked up within
the import's municipality (inventory.services.imports.kinds), so they cannot name another
city's records at all.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Building, Inspection, LeaseContract, Lessee, Parcel
from inventory.services.errors import ValidationError
from inventory.services.privacy import N_

#: The model of each kind a field may reference (`Field.record`).
MODELS: dict[str, Any] = {
    "parcels": Parcel,
    "buildings": Building,
    "lessees": Lessee,
    "contracts": LeaseContract,
    "inspections": Inspection,
}

#: What a refused reference is told: the same whether the record is missing or another
#: city's (pybabel extracts it from here).
MESSAGE = N_("no such record in this municipality")


def municipality_of(session: so.Session, kind: str, record_id: Any) -> int | None:
    """The municipality of record `record_id` of `kind`; None when there is none."""
    model = MODELS[kind]
    if isinstance(record_id, bool) or not isinstance(record_id, int):
        return None
    with session.no_autoflush:  # nothing of the write under check is flushed before it
        return session.scalar(sa.select(model.municipality_id).where(model.id == record_id))


def require(
    session: so.Session,
    kind: str,
    record_id: Any,
    municipality_id: int | None,
    field: str,
    message: str = MESSAGE,
    **params: Any,
) -> None:
    """ValidationError on `field` unless `record_id` is a record of `kind` in
    `municipality_id`."""
    found = municipality_of(session, kind, record_id)
    if found is None or found != municipality_id:
        raise ValidationError(message, field=field, **params)


def check(session: so.Session, kind: Any, obj: Any, municipality_id: int | None) -> None:
    """Every record `obj` names is of `municipality_id`, the municipality of `obj`
    itself: its `record` fields and, for a contract, its leased objects. `obj` is a
    record of `kind` (a records.common.Kind) about to be written."""
    for f in kind.fields:
        if f.type == "record" and f.record in MODELS:
            value = getattr(obj, f.attribute, None)
            if value is not None:
                require(session, f.record, value, municipality_id, f.name)
        elif f.type == "objects":
            for item in getattr(obj, f.attribute, None) or ():
                for name, target in (("parcel_id", "parcels"), ("building_id", "buildings")):
                    value = getattr(item, name, None)
                    if value is not None:
                        require(session, target, value, municipality_id, f.name)
