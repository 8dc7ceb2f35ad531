"""Lists for the office pages: the API's lists plus sorting and a few more filters.

Uses each kind's own query, scoping and search (inventory.services.records.common), so a
page can never show what the API would hide. Sorting is by a whitelisted column name.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import (
    Building,
    Inspection,
    LeaseContract,
    Lessee,
    Parcel,
    Payment,
)
from inventory.services.permissions import Actor
from inventory.services.records.common import Filters, Kind, Page

#: Sortable columns of each kind by the name used in URLs; the first is the default.
SORTS: dict[str, dict[str, Any]] = {
    "parcels": {
        "id": Parcel.id,
        "ident_code": Parcel.ident_code,
        "address": Parcel.address,
        "status": Parcel.status,
        "documented_area": Parcel.documented_area,
        "measured_area": Parcel.measured_area,
    },
    "buildings": {
        "id": Building.id,
        "inventory_number": Building.inventory_number,
        "address": Building.address,
        "floor_area": Building.floor_area,
    },
    "lessees": {"id": Lessee.id, "name": Lessee.name, "inn": Lessee.inn},
    "contracts": {
        "id": LeaseContract.id,
        "number": LeaseContract.number,
        "lessee": Lessee.name,
        "end_date": LeaseContract.end_date,
        "rent_amount": LeaseContract.rent_amount,
        "status": LeaseContract.status,
    },
    "payments": {
        "id": Payment.id,
        "paid_on": Payment.paid_on,
        "amount": Payment.amount,
        "contract": LeaseContract.number,
    },
    "inspections": {
        "id": Inspection.id,
        "inspected_on": Inspection.inspected_on,
        "inspector": Inspection.inspector,
    },
}
#: Extra filters of each kind: a query-string name and the column it must equal.
EXTRA: dict[str, dict[str, Any]] = {
    "parcels": {"designated_use_id": Parcel.designated_use_id},
    "buildings": {"parcel_id": Building.parcel_id},
    "lessees": {"kind": Lessee.kind},
    "contracts": {"lessee_id": LeaseContract.lessee_id},
    "payments": {"contract_id": Payment.contract_id},
    "inspections": {"parcel_id": Inspection.parcel_id, "occupied": Inspection.occupied},
}


def browse(
    session: so.Session,
    actor: Actor,
    name: str,
    kind: Kind,
    filters: Filters,
    sort: str | None = None,
    descending: bool = True,
) -> Page:
    """One page of `kind` the actor may read, filtered, searched and sorted.

    `sort` must be one of SORTS[name] (else the default, newest first); `filters.extra`
    holds already-parsed values of EXTRA[name].
    """
    query = kind.filtered(session, actor, filters)
    for key, value in filters.extra.items():
        column = EXTRA.get(name, {}).get(key)
        if column is not None and value is not None:
            query = query.where(column == value)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    columns = SORTS[name]
    column = columns.get(sort or "", columns["id"])
    order = column.desc().nulls_last() if descending else column.asc().nulls_last()
    rows = session.scalars(
        query.order_by(order, kind.model.id.desc()).limit(filters.limit).offset(filters.offset)
    ).unique()
    return Page(
        [kind.to_json(session, row) for row in rows], total or 0, filters.limit, filters.offset
    )
