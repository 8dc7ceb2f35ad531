"""Search of the public map: identification code, address or a company lessee's name."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.privacy import PublicLessee, public_lessee, public_lessee_name_text
from webmap.services.parcels import bbox_sql
from webmap.services.public_sql import ACTIVE_CONTRACT_LATERAL, VISIBLE_PARCEL

MIN_QUERY = 2
MAX_QUERY = 100
DEFAULT_LIMIT = 10
MAX_LIMIT = 50


@dataclass(frozen=True)
class SearchHit:
    id: int
    ident_code: str
    address: str | None
    status: str
    municipality: str
    lessee: PublicLessee | None
    bbox: list[float] | None


# Each branch is an ILIKE or trigram `%` test on one column with a GIN trigram index, so
# PostgreSQL answers from the indexes instead of reading every parcel. The lessee branch
# matches only names the masking rule makes public: a private individual's name can never
# be searched for, or a resident could learn where a named person leases land.
_SEARCH_SQL = sa.text(f"""
WITH hits AS (
    SELECT p.id, greatest(similarity(p.ident_code, :q),
                          similarity(coalesce(p.address, ''), :q)) AS score
    FROM parcel p
    WHERE p.ident_code ILIKE :pattern OR p.address ILIKE :pattern OR p.address % :q
  UNION ALL
    SELECT co.parcel_id, similarity(l.name, :q)
    FROM lessee l
    JOIN lease_contract c ON c.lessee_id = l.id
                          AND c.status = 'active' AND c.archived_at IS NULL
    JOIN contract_object co ON co.contract_id = c.id AND co.parcel_id IS NOT NULL
    WHERE {public_lessee_name_text('l')} IS NOT NULL
      AND (l.name ILIKE :pattern OR l.name % :q)
),
best AS (SELECT id, max(score) AS score FROM hits GROUP BY id)
SELECT p.id, p.ident_code, p.address, p.status, m.slug AS municipality,
       ac.id AS contract_id, ac.lessee_kind, ac.lessee_name, ac.lessee_inn,
       {bbox_sql('p.geom')} AS bbox
FROM best
JOIN parcel p ON p.id = best.id
JOIN municipality m ON m.id = p.municipality_id
{ACTIVE_CONTRACT_LATERAL}
WHERE {VISIBLE_PARCEL}
ORDER BY best.score DESC, p.ident_code
LIMIT :limit
""")


def like_pattern(text: str) -> str:
    """`%text%` for ILIKE, with the user's own %, _ and \\ matched literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_parcels(session: so.Session, query: str,
                   limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Visible parcels whose code, address or public lessee name matches, best first.

    A query shorter than MIN_QUERY characters finds nothing (it would match everything);
    longer than MAX_QUERY is cut. `limit` is clamped to 1..MAX_LIMIT.
    """
    query = " ".join(query.split())[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return []
    limit = min(max(limit, 1), MAX_LIMIT)
    rows = session.execute(_SEARCH_SQL, {"q": query, "pattern": like_pattern(query),
                                         "limit": limit}).mappings()
    return [SearchHit(
        id=row["id"], ident_code=row["ident_code"], address=row["address"],
        status=row["status"], municipality=row["municipality"],
        lessee=(public_lessee(row["lessee_kind"], row["lessee_name"], row["lessee_inn"])
                if row["contract_id"] is not None else None),
        bbox=list(row["bbox"]) if row["bbox"] else None) for row in rows]
