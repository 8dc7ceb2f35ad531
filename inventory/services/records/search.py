"""Searching one kind of record by what is written on the records around it.

Officers look a parcel up by its lessee or contract number, a contract by the parcel's
code or address, an inspection by the parcel it saw, a payment by the lessee who paid.
Each function returns a condition for the kind's own query; the matching runs in SQL
(the trigram indexes serve the ILIKEs), never row by row in Python.
"""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Building, ContractObject, LeaseContract, Lessee, Parcel
from inventory.services.records.common import like_any


def contracts_matching(q: str) -> sa.Select:
    """Ids of contracts whose number, lessee name or lessee ИНН holds `q`."""
    return (
        sa.select(LeaseContract.id)
        .join(Lessee, Lessee.id == LeaseContract.lessee_id)
        .where(like_any(q, LeaseContract.number, Lessee.name, Lessee.inn))
    )


def parcels_matching(q: str) -> sa.Select:
    """Ids of parcels whose identification code or address holds `q`."""
    return sa.select(Parcel.id).where(like_any(q, Parcel.ident_code, Parcel.address))


def buildings_matching(q: str) -> sa.Select:
    """Ids of buildings whose inventory number, name or address holds `q`."""
    return sa.select(Building.id).where(
        like_any(q, Building.inventory_number, Building.name, Building.address)
    )


def leased_under(q: str, parcel_id=None, building_id=None) -> sa.ColumnElement[bool]:
    """The parcel (or building) in the given column is an object of a contract matching
    `q` by number or lessee."""
    column = ContractObject.parcel_id if parcel_id is not None else ContractObject.building_id
    return sa.exists().where(
        column == (parcel_id if parcel_id is not None else building_id),
        ContractObject.contract_id.in_(contracts_matching(q)),
    )


def with_objects_matching(q: str) -> sa.ColumnElement[bool]:
    """The contract leases a parcel or building whose code, number or address holds `q`."""
    return sa.exists().where(
        ContractObject.contract_id == LeaseContract.id,
        sa.or_(
            ContractObject.parcel_id.in_(parcels_matching(q)),
            ContractObject.building_id.in_(buildings_matching(q)),
        ),
    )
