"""The demo's auction lots: an announced lot in Osh and in Nookat, a library premise in
Osh held with a winner and its contract, and one in Jalal-Abad without bids.

They stand on free demo parcels with no contract, inspection, overlap or planted anomaly
(data/demo/planted.csv), and on a free premise: the held lot is the premise, since a
premise has no status of its own for a reload of the parcels to reset; its contract
starts after the demo's as_of day, so no instalment is due on it yet. They are made
through the same services as an officer's, as an administrator of the "demo" source,
after the demo files are loaded. A lot whose number is there already is left alone, so
loading the demo twice changes nothing; a lot whose object or winner another demo folder
lacks, or holds leased, is skipped.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import AuctionLot, Building, Lessee, Municipality, Parcel, Role
from inventory.services.auctions import results
from inventory.services.auctions.lots import kind as lots
from inventory.services.errors import DomainError
from inventory.services.permissions import Actor

_DEMO = Actor(user_id=None, role=Role.ADMIN, source="demo")  # type: ignore[arg-type]

LOTS: tuple[dict[str, Any], ...] = (
    {
        "municipality": "osh",
        "number": "ОШ-ЛОТ-2026/01",
        "object": "5-08-08-0022-0001",
        "term_months": 60,
        "conditions": "Торговый павильон до 60 м² без капитального строительства; "
        "благоустройство прилегающей территории",
        "announced_on": "2026-10-20",
        "auction_date": "2026-12-15",
        "platform_ref": "https://e-auction.gov.kg/lots/OSH-2026-01",
    },
    {
        "municipality": "osh",
        "number": "ОШ-ЛОТ-2026/02",
        "object": "ОШ-Б-00007-П01",
        "term_months": 60,
        "conditions": "Аптечный пункт в помещении библиотеки; вход со стороны улицы",
        "announced_on": "2026-09-10",
        "auction_date": "2026-10-10",
        "platform_ref": "https://e-auction.gov.kg/lots/OSH-2026-02",
        "result": {
            "winner": "OSH-L00013",
            "raise_percent": 25,
            "bidders": 3,
            "protocol_number": "ОШ-А-17",
            "protocol_url": "https://e-auction.gov.kg/protocols/OSH-A-17",
            "contract_number": "ОШ-2026/А-001",
            "start_date": "2026-10-15",
        },
        "starting_rent": 77220,
    },
    {
        "municipality": "jalal-abad",
        "number": "ЖА-ЛОТ-2026/01",
        "object": "4-03-02-0016-0010",
        "term_months": 36,
        "conditions": "Торговля непродовольственными товарами",
        "announced_on": "2026-09-20",
        "auction_date": "2026-10-20",
        "platform_ref": "https://e-auction.gov.kg/lots/JA-2026-01",
        "result": {"no_bids": True, "protocol_number": "ЖА-А-04"},
    },
    {
        "municipality": "nookat",
        "number": "НК-ЛОТ-2026/01",
        "object": "5-06-02-0004-0009",
        "term_months": 36,
        "conditions": "Кафе; режим работы до 23:00",
        "announced_on": "2026-10-25",
        "auction_date": "2026-12-10",
        "platform_ref": "https://e-auction.gov.kg/lots/NK-2026-01",
    },
)


def _object(session: so.Session, place: int, code: str) -> dict[str, int] | None:
    parcel = session.scalar(
        sa.select(Parcel.id).where(Parcel.municipality_id == place, Parcel.ident_code == code)
    )
    if parcel is not None:
        return {"parcel_id": parcel}
    building = session.scalar(
        sa.select(Building.id).where(
            Building.municipality_id == place, Building.inventory_number == code
        )
    )
    return None if building is None else {"building_id": building}


def load_lots(session: so.Session) -> int:
    """Create the demo lots that do not exist yet (and their results); how many."""
    made = 0
    for plan in LOTS:
        spec = dict(plan)
        place = session.scalar(
            sa.select(Municipality.id).where(Municipality.slug == spec["municipality"])
        )
        found = place is not None and _object(session, place, spec["object"])
        if not found or session.scalar(
            sa.select(AuctionLot.id).where(
                AuctionLot.municipality_id == place, AuctionLot.number == spec["number"]
            )
        ):
            continue
        outcome = spec.pop("result", None)
        winner = None
        if outcome and not outcome.get("no_bids"):
            winner = session.scalar(
                sa.select(Lessee.id).where(
                    Lessee.municipality_id == place, Lessee.external_key == outcome["winner"]
                )
            )
            if winner is None:
                continue
        data = {k: v for k, v in spec.items() if k != "object"}
        try:
            # One savepoint per lot: a lot another demo folder cannot hold is left out whole.
            with session.begin_nested():
                _make(session, {**data, **found}, outcome, winner)
        except DomainError:
            continue
        made += 1
    return made


def _make(
    session: so.Session, data: dict[str, Any], outcome: dict[str, Any] | None, winner: int | None
) -> None:
    lot = lots.create(session, _DEMO, data)
    if outcome and outcome.get("no_bids"):
        results.record_no_bids(
            session,
            _DEMO,
            lot["id"],
            {"version": lot["version"], "protocol_number": outcome["protocol_number"]},
        )
    elif outcome:
        raised = Decimal(str(lot["starting_rent"])) * (100 + outcome["raise_percent"]) / 100
        results.record_winner(
            session,
            _DEMO,
            lot["id"],
            {
                "version": lot["version"],
                "winner_id": winner,
                "final_rent": str(raised.quantize(Decimal("1"), ROUND_HALF_UP)),
                "bidders": outcome["bidders"],
                "protocol_number": outcome["protocol_number"],
                "protocol_url": outcome["protocol_url"],
                "contract_number": outcome["contract_number"],
                "start_date": outcome["start_date"],
            },
        )
