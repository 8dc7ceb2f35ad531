"""An auction's outcome, as its protocol says: a winner and the final rent, or no bids.

The winner's lease contract is made from the lot through the contracts' own service
(inventory.services.records.contracts), so it is checked, scheduled and re-checked like
any other: basis 'auction', the lot's object, use, area and term, the final rent per
year, active from its start; the database's triggers then lease the parcel. Everything
is written in the caller's transaction: a refused contract leaves no result behind.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import AuctionLot, AuctionResult, Lessee, LotStatus
from inventory.services.auctions.lots import MAX_AMOUNT
from inventory.services.auctions.lots import kind as lots
from inventory.services.errors import Conflict, DomainError, ValidationError
from inventory.services.permissions import Actor
from inventory.services.records import fields
from inventory.services.records.common import check_version, flush
from inventory.services.records.contracts import kind as contracts

_PROTOCOL = {
    "protocol_number": fields.text(60),
    "protocol_date": fields.date(),
    "protocol_url": fields.text(500),
}
_WON = {
    **_PROTOCOL,
    "winner_id": fields.integer(1),
    "final_rent": fields.decimal(),
    "bidders": fields.integer(1, 10_000),
    "contract_number": fields.text(60),
    "start_date": fields.date(),
    "signed_on": fields.date(),
}
#: The contract's fields named as the result's, so an error names what the client sent.
_AS_SENT = {
    "number": "contract_number",
    "lessee_id": "winner_id",
    "rent_amount": "final_rent",
    "signed_on": "signed_on",
    "start_date": "start_date",
}


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _check_url(url: str | None) -> None:
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError(
            "a web address starting with https:// or http://", field="protocol_url"
        )


def _open_lot(session: so.Session, actor: Actor, lot_id: int, data: Any) -> AuctionLot:
    lot = lots.load(session, actor, lot_id)
    lots.begin_write(session, actor, lot.municipality_id)
    if not isinstance(data, Mapping):
        raise ValidationError("expected a JSON object")
    check_version(lot, data.get("version"))
    if lot.status != LotStatus.ANNOUNCED:
        raise Conflict(
            "the result of this lot is already recorded (%(status)s)",
            field="status",
            status=lot.status.value,
        )
    return lot


def record_no_bids(
    session: so.Session, actor: Actor, lot_id: int, data: Mapping[str, Any]
) -> dict[str, Any]:
    """The auction was held and nobody bid: the lot is closed, the object stays free."""
    lot = _open_lot(session, actor, lot_id, data)
    values = fields.parse(session, data, _PROTOCOL, ignore=("version", "no_bids"))
    _check_url(values.get("protocol_url"))
    session.add(AuctionResult(lot=lot, no_bids=True, recorded_by_id=actor.user_id, **values))
    lot.status = LotStatus.NO_BIDS
    flush(session)
    session.refresh(lot)
    return lots.to_json(session, lot)


def record_winner(
    session: so.Session,
    actor: Actor,
    lot_id: int,
    data: Mapping[str, Any],
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The winner, the final rent and the protocol; the contract follows, active from
    `start_date` (default: the protocol's day) for the lot's term."""
    lot = _open_lot(session, actor, lot_id, data)
    values = fields.parse(
        session,
        data,
        _WON,
        required=("winner_id", "final_rent", "protocol_number", "contract_number"),
        ignore=("version", "no_bids"),
    )
    _check_url(values.get("protocol_url"))
    final: Decimal = values["final_rent"]
    if final >= MAX_AMOUNT:
        raise ValidationError(
            "must be less than %(limit)s", field="final_rent", limit=f"{MAX_AMOUNT:,}"
        )
    if final < lot.starting_rent:
        raise ValidationError(
            "the final rent %(final)s is below the starting rent %(start)s",
            field="final_rent",
            final=final,
            start=lot.starting_rent,
        )
    protocol_date = values.get("protocol_date") or lot.auction_date
    start = values.get("start_date") or protocol_date
    basis_ref = f"Лот № {lot.number}, протокол № {values['protocol_number']} от " + (
        protocol_date.strftime("%d.%m.%Y")
    )
    contract_data = {
        "municipality": lot.municipality.slug,
        "number": values["contract_number"],
        "signed_on": (values.get("signed_on") or protocol_date).isoformat(),
        "lessee_id": values["winner_id"],
        "start_date": start.isoformat(),
        "end_date": (add_months(start, lot.term_months) - dt.timedelta(days=1)).isoformat(),
        "contracted_use": lot.use.code if lot.use else None,
        "rent_amount": str(final),
        "rent_period": "year",
        "leased_area": str(lot.leased_area) if lot.leased_area is not None else None,
        "basis": "auction",
        "basis_ref": basis_ref,
        "status": "active",
        "objects": [
            {"parcel_id": lot.parcel_id}
            if lot.parcel_id is not None
            else {"building_id": lot.building_id}
        ],
    }
    try:
        contract = contracts.create(session, actor, contract_data, settings)
    except DomainError as exc:
        exc.field = _AS_SENT.get(exc.field or "", exc.field)
        raise
    session.add(
        AuctionResult(
            lot=lot,
            no_bids=False,
            winner_id=values["winner_id"],
            final_rent=final,
            bidders=values.get("bidders"),
            protocol_number=values["protocol_number"],
            protocol_date=protocol_date,
            protocol_url=values.get("protocol_url"),
            contract_id=contract["id"],
            recorded_by_id=actor.user_id,
        )
    )
    lot.status = LotStatus.HELD
    flush(session)
    session.refresh(lot)
    return lots.to_json(session, lot)


def winner_by_ref(session: so.Session, lot: AuctionLot, ref: str) -> int:
    """The id of the lessee of the lot's municipality named by its id or its ИНН."""
    ref = (ref or "").strip()
    found = None
    if ref.isdecimal() and len(ref) < 15:
        # An ИНН has 14 digits; anything shorter is the lessee's id.
        named = Lessee.inn == ref if len(ref) == 14 else Lessee.id == int(ref)
        found = session.scalar(
            sa.select(Lessee.id).where(Lessee.municipality_id == lot.municipality_id, named)
        )
    if found is None:
        raise ValidationError(
            "no lessee with the id or ИНН '%(ref)s' in this municipality",
            field="winner_id",
            ref=ref,
        )
    return found


def record_result(
    session: so.Session,
    actor: Actor,
    lot_id: int,
    data: Mapping[str, Any],
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`no_bids: true`, or the winner (record_winner)."""
    if isinstance(data, Mapping) and data.get("no_bids") is True:
        return record_no_bids(session, actor, lot_id, data)
    return record_winner(session, actor, lot_id, data, settings)
