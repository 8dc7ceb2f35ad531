"""Counts of what the inventory holds, overall and per municipality."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

_KINDS = ("parcels", "buildings", "lessees", "contracts", "payments", "inspections")

# One set-based query: each kind counted per municipality in a single pass of its table.
_COUNTS_SQL = sa.text("""
    SELECT m.slug,
           (SELECT count(*) FROM parcel p WHERE p.municipality_id = m.id) AS parcels,
           (SELECT count(*) FROM building b WHERE b.municipality_id = m.id) AS buildings,
           (SELECT count(*) FROM lessee l WHERE l.municipality_id = m.id) AS lessees,
           (SELECT count(*) FROM lease_contract c WHERE c.municipality_id = m.id) AS contracts,
           (SELECT count(*) FROM payment pay JOIN lease_contract c ON c.id = pay.contract_id
             WHERE c.municipality_id = m.id) AS payments,
           (SELECT count(*) FROM inspection i WHERE i.municipality_id = m.id) AS inspections
      FROM municipality m
     ORDER BY m.slug
""")


def inventory_counts(session: so.Session) -> dict[str, Any]:
    """Return {"total": {kind: n}, "municipalities": {slug: {kind: n}}} for every kind."""
    per_municipality: dict[str, dict[str, int]] = {}
    total = dict.fromkeys(_KINDS, 0)
    for row in session.execute(_COUNTS_SQL).mappings():
        counts = {kind: int(row[kind]) for kind in _KINDS}
        per_municipality[row["slug"]] = counts
        for kind in _KINDS:
            total[kind] += counts[kind]
    return {"total": total, "municipalities": per_municipality}
