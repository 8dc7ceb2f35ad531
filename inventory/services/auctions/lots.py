"""Lots: the right to lease a free parcel or premise, offered at an e-auction.

A lot is described once here (`FIELDS`): the API (`/api/v1/lots`), the office pages and
the API document read it. Only a free object becomes a lot: a parcel free by its status
and under no active contract (what the public map calls free), or a premise under no
active contract; and one open lot per object. The starting annual rent defaults to the
parcel's normative rent (inventory.services.auctions.norm), the use to the parcel's
designated use, the area to its documented (else measured) area or the premise's floor
area. An announced lot can be changed or cancelled; a held one is history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from inventory.models import (
    AuctionLot,
    Building,
    ContractObject,
    LandUse,
    LeaseContract,
    LotStatus,
    Parcel,
    ParcelStatus,
)
from inventory.services.auctions.norm import parcel_norm
from inventory.services.errors import Conflict, ValidationError
from inventory.services.permissions import Actor
from inventory.services.records.common import Kind, iso, like_any, number
from inventory.services.records.descriptor import Field, plain_json

#: Amounts (som, m²) are stored as NUMERIC(14, 2): below this.
MAX_AMOUNT = 10**12

#: Lot statuses in words.
STATUS_LABELS = {
    "announced": _l("Announced"),
    "held": _l("Held"),
    "no_bids": _l("No bids"),
    "cancelled": _l("Cancelled"),
}

FIELDS = (
    Field("number", _l("Lot number"), required=True, max_length=60, listed=1, public=True),
    Field(
        "parcel_id",
        _l("Parcel"),
        "record",
        record="parcels",
        filter="parcel_id",
        description="the free parcel offered (or building_id)",
    ),
    Field(
        "building_id",
        _l("Building or premise"),
        "record",
        record="buildings",
        description="the free premise offered (or parcel_id)",
    ),
    Field(
        "use",
        _l("Use of the lease"),
        "code",
        reference=LandUse,
        column="use_id",
        public=True,
        description="land use code; the parcel's designated use when left out",
    ),
    Field("leased_area", _l("Area offered, m²"), "decimal", public=True),
    Field(
        "starting_rent",
        _l("Starting annual rent, som"),
        "decimal",
        listed=3,
        public=True,
        description="the parcel's normative rent when left out",
    ),
    Field("term_months", _l("Lease term, months"), "integer", required=True, low=1, high=600),
    Field("conditions", _l("Conditions"), "textarea", public=True),
    Field("announced_on", _l("Announced on"), "date", public=True),
    Field("auction_date", _l("Auction date"), "date", required=True, listed=2, public=True),
    Field(
        "platform_ref",
        _l("Reference on the e-auction platform"),
        max_length=300,
        public=True,
    ),
    Field(
        "status",
        _l("Status"),
        "choice",
        enum=LotStatus,
        values=STATUS_LABELS,
        fixed=("held", "no_bids"),
        listed=4,
        public=True,
    ),
)


def active_contract_on(session: so.Session, parcel_id=None, building_id=None) -> str | None:
    """The number of an active contract holding the parcel or building, if any."""
    column = ContractObject.parcel_id if parcel_id is not None else ContractObject.building_id
    return session.scalar(
        sa.select(LeaseContract.number)
        .join(ContractObject, ContractObject.contract_id == LeaseContract.id)
        .where(
            column == (parcel_id if parcel_id is not None else building_id),
            LeaseContract.status == "active",
            LeaseContract.archived_at.is_(None),
        )
        .limit(1)
    )


class Lots(Kind):
    model = AuctionLot
    table = "auction_lot"
    name = "lots"
    title = _l("Auctions")
    fields = FIELDS
    searched = "lot number, platform reference or parcel code"
    newest_first = AuctionLot.id.desc()
    children = (("auction_result", "lot_id"),)

    def search(self, q: str):
        codes = sa.select(Parcel.id).where(like_any(q, Parcel.ident_code, Parcel.address))
        return sa.or_(
            like_any(q, AuctionLot.number, AuctionLot.platform_ref),
            AuctionLot.parcel_id.in_(codes),
        )

    def prepare(
        self,
        session: so.Session,
        actor: Actor,
        lot: AuctionLot,
        data: Mapping[str, Any],
        creating: bool,
    ) -> list[dict[str, Any]]:
        state = sa.inspect(lot)
        before = state.attrs.status.history.deleted
        old_status = LotStatus(before[0]) if before else (None if creating else lot.status)
        if not creating and (old_status or lot.status) != LotStatus.ANNOUNCED:
            raise Conflict(
                "the auction of this lot is over (%(status)s); it can no longer be changed",
                field="status",
                status=(old_status or lot.status).value,
            )
        if creating and lot.status not in (None, LotStatus.ANNOUNCED):
            raise ValidationError("a new lot is announced", field="status")
        if lot.status in (LotStatus.HELD, LotStatus.NO_BIDS) and old_status != lot.status:
            raise ValidationError(
                "an auction's outcome is recorded with its result, not set", field="status"
            )
        moved = creating or any(
            state.attrs[name].history.has_changes() for name in ("parcel_id", "building_id")
        )
        self._check_amounts(lot)
        if moved:
            self._check_object(session, lot)
        self._fill_defaults(session, lot)
        self._check_amounts(lot)
        return []

    def _check_amounts(self, lot: AuctionLot) -> None:
        # The columns hold 12 digits before the point: say so instead of failing.
        for name in ("starting_rent", "leased_area"):
            value = getattr(lot, name)
            if value is not None and value >= MAX_AMOUNT:
                raise ValidationError(
                    "must be less than %(limit)s", field=name, limit=f"{MAX_AMOUNT:,}"
                )

    def _check_object(self, session: so.Session, lot: AuctionLot) -> None:
        if (lot.parcel_id is None) == (lot.building_id is None):
            raise ValidationError("a lot is one parcel_id or one building_id", field="parcel_id")
        if lot.parcel_id is not None:
            parcel = session.get(Parcel, lot.parcel_id)
            if parcel is None or parcel.municipality_id != lot.municipality_id:
                raise ValidationError(
                    "no parcel %(id)s in this municipality", field="parcel_id", id=lot.parcel_id
                )
            held_by = active_contract_on(session, parcel_id=parcel.id)
            if parcel.status != ParcelStatus.FREE or held_by or parcel.archived_at:
                raise Conflict(
                    "parcel %(code)s is not free (%(status)s%(contract)s): only a free "
                    "parcel can become a lot",
                    field="parcel_id",
                    code=parcel.ident_code,
                    status=parcel.status.value,
                    contract=f", contract {held_by}" if held_by else "",
                )
        else:
            building = session.get(Building, lot.building_id)
            if building is None or building.municipality_id != lot.municipality_id:
                raise ValidationError(
                    "no building %(id)s in this municipality",
                    field="building_id",
                    id=lot.building_id,
                )
            held_by = active_contract_on(session, building_id=building.id)
            if held_by or building.archived_at:
                raise Conflict(
                    "premise %(number)s is leased under contract %(contract)s: only a free "
                    "premise can become a lot",
                    field="building_id",
                    number=building.inventory_number,
                    contract=held_by or "-",
                )
        column = AuctionLot.parcel_id if lot.parcel_id is not None else AuctionLot.building_id
        open_lot = session.scalar(
            sa.select(AuctionLot.number).where(
                column == (lot.parcel_id if lot.parcel_id is not None else lot.building_id),
                AuctionLot.status == LotStatus.ANNOUNCED,
                AuctionLot.archived_at.is_(None),
                AuctionLot.id != (lot.id or 0),
            )
        )
        if open_lot:
            raise Conflict(
                "this object is already offered in lot %(number)s",
                field="parcel_id" if lot.parcel_id is not None else "building_id",
                number=open_lot,
            )
        taken = session.scalar(
            sa.select(AuctionLot.id).where(
                AuctionLot.municipality_id == lot.municipality_id,
                AuctionLot.number == lot.number,
                AuctionLot.id != (lot.id or 0),
            )
        )
        if taken:
            raise Conflict(
                "another lot already has the number %(number)s", field="number", number=lot.number
            )

    def _fill_defaults(self, session: so.Session, lot: AuctionLot) -> None:
        parcel = session.get(Parcel, lot.parcel_id) if lot.parcel_id else None
        if parcel is not None:
            if lot.use_id is None:
                lot.use_id = parcel.designated_use_id
            if lot.leased_area is None:
                lot.leased_area = parcel.documented_area or parcel.measured_area
        elif lot.building_id and lot.leased_area is None:
            lot.leased_area = session.get(Building, lot.building_id).floor_area
        if lot.starting_rent is None:
            norm = (
                parcel_norm(session, parcel.id, lot.use_id, lot.leased_area, lot.announced_on)
                if parcel is not None
                else None
            )
            if norm is None or norm <= 0:
                raise ValidationError(
                    "no normative rent can be worked out for this object (no area, use, "
                    "base rate or zone): give the starting rent",
                    field="starting_rent",
                )
            lot.starting_rent = norm

    def to_json(self, session: so.Session, lot: AuctionLot) -> dict[str, Any]:
        result = lot.result
        return {
            "id": lot.id,
            "municipality": lot.municipality.slug,
            **plain_json(self.fields, lot),
            "object": object_json(lot),
            "norm": number(
                parcel_norm(session, lot.parcel_id, lot.use_id, lot.leased_area)
                if lot.parcel_id
                else None
            ),
            "result": None if result is None else result_json(result),
            "version": lot.version,
            "created_at": iso(lot.created_at),
            "updated_at": iso(lot.updated_at),
            "archived_at": iso(lot.archived_at),
        }


def object_json(lot: AuctionLot) -> dict[str, Any]:
    if lot.parcel is not None:
        return {
            "kind": "parcel",
            "id": lot.parcel_id,
            "code": lot.parcel.ident_code,
            "address": lot.parcel.address,
        }
    return {
        "kind": "building",
        "id": lot.building_id,
        "code": lot.building.inventory_number,
        "address": lot.building.address,
    }


def result_json(result) -> dict[str, Any]:
    return {
        "no_bids": result.no_bids,
        "winner_id": result.winner_id,
        "winner": result.winner.name if result.winner else None,
        "final_rent": number(result.final_rent),
        "bidders": result.bidders,
        "protocol_number": result.protocol_number,
        "protocol_date": iso(result.protocol_date),
        "protocol_url": result.protocol_url,
        "contract_id": result.contract_id,
        "recorded_at": iso(result.created_at),
    }


kind = Lots()


def object_by_code(session: so.Session, municipality_id: int, code: str) -> dict[str, int]:
    """{"parcel_id": id} or {"building_id": id} of the parcel with this identification
    code or the building with this inventory number in the municipality."""
    code = code.strip()
    parcel = session.scalar(
        sa.select(Parcel.id).where(
            Parcel.municipality_id == municipality_id, Parcel.ident_code == code
        )
    )
    if parcel is not None:
        return {"parcel_id": parcel}
    building = session.scalar(
        sa.select(Building.id).where(
            Building.municipality_id == municipality_id, Building.inventory_number == code
        )
    )
    if building is not None:
        return {"building_id": building}
    raise ValidationError(
        "no parcel or building '%(code)s' in this municipality", field="object", code=code
    )
