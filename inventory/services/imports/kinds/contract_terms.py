"""What a contract register leaves to be worked out: which objects its codes name, the
status its dates imply, the period of a rent it gives without one."""

from __future__ import annotations

import datetime as dt

from inventory.models import ContractStatus, RentPeriod
from inventory.services.imports.base import Context, Row


def find_objects(ctx: Context, row: Row, parcels: dict, buildings: dict) -> list[tuple[str, int]]:
    """The row's objects as (kind, id): a code the file marks parcel: or building: is
    looked up there; a plain one is a parcel's identification code, else a building's
    inventory number."""
    municipality = row.ids["municipality"]
    objects = []
    for kind, key in row["objects"] or []:
        found = None
        if kind in (None, "parcel") and (municipality, key) in parcels:
            kind, found = "parcel", parcels[(municipality, key)]
        elif kind in (None, "building") and (municipality, key) in buildings:
            kind, found = "building", buildings[(municipality, key)]
        if found is not None:
            objects.append((kind, found))
        elif kind == "parcel":
            ctx.problem(row.number, "objects", "no parcel '%(value)s'", value=key)
        elif kind == "building":
            ctx.problem(row.number, "objects", "no building '%(value)s'", value=key)
        else:
            ctx.problem(
                row.number, "objects", "no parcel or building numbered '%(value)s'", value=key
            )
    return objects


def status_from_dates(row: Row, today: dt.date) -> str | None:
    """The status a register without one implies: terminated when it gives the date of
    termination, expired once the end date has passed, active otherwise (a register lists
    signed contracts, also those starting later; a draft is the office's unsigned work)."""
    if row["terminated_on"] is not None:
        return ContractStatus.TERMINATED.value
    if row["end_date"] is None:
        return None
    if row["end_date"] < today:
        return ContractStatus.EXPIRED.value
    return ContractStatus.ACTIVE.value


def fill_status_and_period(ctx: Context, rows: list[Row]) -> None:
    """Fill what the register left empty: the status from the dates; the rent period as
    per year, with a warning naming the rows."""
    today = dt.date.today()
    no_period = []
    for row in rows:
        if row["status"] is None:
            row.values["status"] = status_from_dates(row, today)
        if row["rent_period"] is None and row["rent_amount"] is not None:
            row.values["rent_period"] = RentPeriod.YEAR.value
            no_period.append(row)
    if no_period:
        ctx.problem(
            no_period[0].number,
            "rent_period",
            "no rent period given: taken as per year (rows %(rows)s)",
            "warning",
            rows=", ".join(str(r.number) for r in no_period),
        )
