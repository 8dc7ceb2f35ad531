"""SQL fragments shared by the public outputs, so tiles, cards and search agree.

What "public" means is decided here once: archived parcels are not shown, and a parcel's
lessee is the one of its current active contract, masked by inventory.services.privacy.
"""

from __future__ import annotations

from inventory.services.privacy import public_lessee_inn_text, public_lessee_name_text

#: Parcels the public may see (`p` is the parcel alias).
VISIBLE_PARCEL = "p.archived_at IS NULL"

#: `LEFT JOIN LATERAL ... ac`: the parcel's current active contract (the most recent one
#: when the data wrongly holds two; the anomaly checks flag that) with its masked lessee.
#: A private individual's name and ИНН come out of it as NULL.
ACTIVE_CONTRACT_LATERAL = f"""
LEFT JOIN LATERAL (
    SELECT c.id, c.number, c.start_date, c.end_date, c.contracted_use_id,
           CASE WHEN c.rent_period = 'month' THEN c.rent_amount * 12
                ELSE c.rent_amount END AS annual_rent,
           l.kind AS lessee_kind,
           {public_lessee_name_text("l")} AS lessee_name,
           {public_lessee_inn_text("l")} AS lessee_inn
    FROM contract_object co
    JOIN lease_contract c ON c.id = co.contract_id
    JOIN lessee l ON l.id = c.lessee_id
    WHERE co.parcel_id = p.id AND c.status = 'active' AND c.archived_at IS NULL
    ORDER BY c.start_date DESC, c.id DESC
    LIMIT 1
) ac ON true
"""
