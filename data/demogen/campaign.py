"""The demo's finished review campaign (campaign.json): Jalal-Abad reviewed every active
contract in 2026, as it did all of them in 2019-2020 (the project's report), and amended
or terminated more than a fifth of them.

Deterministic: each contract's outcome follows from a hash of its number. Contracts
planted with an anomaly (planted.csv) are kept or sent to court, never amended or
terminated, so the demo's answer key stays what the scan finds. Amendments raise the
rent by half and take effect on the 11th of October, after that month's instalment, so
no new instalment is due by the demo's day; only contracts whose parcels were never
inspected are terminated (nobody was seen there since).

    python -m demogen.campaign data/demo
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path

MUNICIPALITY = "jalal-abad"
EFFECTIVE_ON = "2026-10-11"
REASONS = (
    "Участок не используется арендатором более года",
    "Систематическая неуплата арендной платы",
    "По соглашению сторон",
)


def _bucket(number: str) -> int:
    return int(hashlib.sha256(number.encode()).hexdigest(), 16) % 100


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def decisions(folder: Path) -> dict[str, dict]:
    contracts = [
        r
        for r in _rows(folder, "contracts.csv")
        if r["municipality"] == MUNICIPALITY and r["status"] == "active"
    ]
    planted = {
        key
        for p in _rows(folder, "planted.csv")
        for key in p["object_key"].split("|")
        if p["municipality"] == MUNICIPALITY
    }
    inspected = {
        r["parcel_ident_code"] for r in _rows(folder, "inspections.csv")
    }
    found = {}
    for row in sorted(contracts, key=lambda r: r["number"]):
        number, bucket = row["number"], _bucket(row["number"])
        parcels = {o.split(":", 1)[1] for o in row["objects"].split(";") if o.startswith("parcel:")}
        touched = number in planted or parcels & planted
        in_force = row["end_date"] > EFFECTIVE_ON and row["start_date"] < EFFECTIVE_ON
        if touched or not in_force:
            found[number] = {"outcome": "court" if bucket < 3 else "kept"}
        elif bucket < 24:
            rent = (Decimal(row["rent_amount"]) * Decimal("1.5")).quantize(Decimal("1"))
            found[number] = {
                "outcome": "amended",
                "rent_amount": str(rent),
                "start_date": EFFECTIVE_ON,
                "note": "Арендная плата приведена к нормативной",
            }
        elif bucket < 34 and not parcels & inspected:
            found[number] = {
                "outcome": "terminated",
                "terminated_on": EFFECTIVE_ON,
                "reason": REASONS[bucket % len(REASONS)],
            }
        elif bucket < 36:
            found[number] = {"outcome": "court", "note": "Иск о взыскании задолженности"}
        else:
            found[number] = {"outcome": "kept"}
    return found


def write_campaign(folder: Path) -> Path:
    target = folder / "campaign.json"
    body = {
        "municipality": MUNICIPALITY,
        "title": "Пересмотр договоров аренды муниципального имущества, 2026",
        "opened_on": "2026-06-01",
        "deadline": "2026-09-30",
        "decided_on": "2026-09-20",
        "closed_on": "2026-10-15",
        "officers": ["officer-jalalabad"],
        "decisions": decisions(folder),
    }
    target.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write_campaign(Path(sys.argv[1] if len(sys.argv) > 1 else "data/demo")))
