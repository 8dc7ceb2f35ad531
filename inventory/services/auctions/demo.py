"""The demo's auction lots (data/demo/lots.json): an announced lot in Osh and in Nookat,
one held in Osh with a winner and its contract, one in Jalal-Abad without bids.

They are made through the same services as an officer's, as an administrator of the
"demo" source, after the demo files are loaded; a lot whose number is already there is
left alone, so loading the demo twice changes nothing.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import AuctionLot, Lessee, Municipality, Role
from inventory.services.auctions import results
from inventory.services.auctions.lots import kind as lots
from inventory.services.auctions.lots import object_by_code
from inventory.services.permissions import Actor

_DEMO = Actor(user_id=None, role=Role.ADMIN, source="demo")  # type: ignore[arg-type]


def load_lots(session: so.Session, path: Path) -> int:
    """Create the lots of `path` that do not exist yet (and their results); how many."""
    if not path.exists():
        return 0
    made = 0
    for spec in json.loads(path.read_text(encoding="utf-8"))["lots"]:
        place = session.scalar(
            sa.select(Municipality.id).where(Municipality.slug == spec["municipality"])
        )
        exists = session.scalar(
            sa.select(AuctionLot.id).where(
                AuctionLot.municipality_id == place, AuctionLot.number == spec["number"]
            )
        )
        if exists:
            continue
        outcome = spec.pop("result", None)
        data = {k: v for k, v in spec.items() if k != "object"}
        data.update(object_by_code(session, place, spec["object"]))
        lot = lots.create(session, _DEMO, data)
        if outcome and outcome.get("no_bids"):
            results.record_no_bids(
                session,
                _DEMO,
                lot["id"],
                {"version": lot["version"], "protocol_number": outcome["protocol_number"]},
            )
        elif outcome:
            winner = session.scalar(
                sa.select(Lessee.id).where(
                    Lessee.municipality_id == place, Lessee.external_key == outcome["winner"]
                )
            )
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
        made += 1
    return made
