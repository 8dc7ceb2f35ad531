"""The demo's finished review campaign, decided from the loaded demo itself: Jalal-Abad
reviewed every active contract in 2026, as it reviewed all of them in 2019-2020 (the
project's report), and amended or terminated about a quarter of them.

Deterministic: each contract's outcome follows from a hash of its number. Contracts or
parcels planted with an anomaly (the demo folder's planted.csv) are kept or sent to
court, never amended or terminated, so the demo's answer key stays what the scan finds.
Amendments raise the rent by half from the 11th of October, after that month's
instalment, so no new instalment is due by the demo's day; only contracts whose parcels
were never inspected are terminated (nobody was seen there since).
"""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

MUNICIPALITY = "jalal-abad"
EFFECTIVE_ON = "2026-10-11"
CAMPAIGN = {
    "municipality": MUNICIPALITY,
    "title": "Пересмотр договоров аренды муниципального имущества, 2026",
    "opened_on": "2026-06-01",
    "deadline": "2026-09-30",
    "decided_on": "2026-09-20",
    "closed_on": "2026-10-15",
    "officers": ["officer-jalalabad"],
}
REASONS = (
    "Участок не используется арендатором более года",
    "Систематическая неуплата арендной платы",
    "По соглашению сторон",
)

_CONTRACTS = sa.text("""
    SELECT c.number, c.rent_amount, c.start_date, c.end_date,
           array_remove(array_agg(p.ident_code), NULL) AS parcels,
           bool_or(EXISTS (SELECT 1 FROM inspection i WHERE i.parcel_id = p.id)) AS inspected
      FROM lease_contract c JOIN municipality m ON m.id = c.municipality_id
      LEFT JOIN contract_object co ON co.contract_id = c.id
      LEFT JOIN parcel p ON p.id = co.parcel_id
     WHERE m.slug = :slug AND c.status = 'active'
     GROUP BY c.id ORDER BY c.number
""")


def _bucket(number: str) -> int:
    return int(hashlib.sha256(number.encode()).hexdigest(), 16) % 100


def _planted(folder: Path) -> set[str]:
    path = folder / "planted.csv"
    if not path.exists():
        return set()
    with path.open(encoding="utf-8") as handle:
        return {
            key
            for row in csv.DictReader(handle)
            if row["municipality"] == MUNICIPALITY
            for key in row["object_key"].split("|")
        }


def decisions(session: so.Session, folder: Path) -> dict[str, dict[str, Any]]:
    """Each active contract's decision by its number."""
    planted = _planted(folder)
    found: dict[str, dict[str, Any]] = {}
    for row in session.execute(_CONTRACTS, {"slug": MUNICIPALITY}):
        bucket = _bucket(row.number)
        touched = row.number in planted or bool(set(row.parcels) & planted)
        in_force = row.start_date.isoformat() < EFFECTIVE_ON < row.end_date.isoformat()
        if touched or not in_force:
            found[row.number] = {"outcome": "court" if bucket < 3 else "kept"}
        elif bucket < 24:
            rent = (Decimal(row.rent_amount) * Decimal("1.5")).quantize(Decimal("1"))
            found[row.number] = {
                "outcome": "amended",
                "rent_amount": str(rent),
                "start_date": EFFECTIVE_ON,
                "note": "Арендная плата приведена к нормативной",
            }
        elif bucket < 34 and not row.inspected:
            found[row.number] = {
                "outcome": "terminated",
                "terminated_on": EFFECTIVE_ON,
                "reason": REASONS[bucket % len(REASONS)],
            }
        elif bucket < 36:
            found[row.number] = {"outcome": "court", "note": "Иск о взыскании задолженности"}
        else:
            found[row.number] = {"outcome": "kept"}
    return found
