"""Which records residents may see: the SQL conditions every public output is built on.

The map's tiles, cards, search, free plots and reports, the OGC API, the downloads and
OCDS all select through these fragments, so they cannot disagree on what is public:

- a parcel or building is public until it is archived;
- a parcel is free to lease when its status says so and no active contract holds it;
- a contract is public once decided (not a draft) and until archived;
- the lessee shown on a parcel is the one of its current active contract, masked by
  inventory.services.privacy (a private individual's name and ИНН come out as NULL).

Which fields of these records are published, and under which names, is said by
inventory.services.public.layers; how a lessee is masked, by inventory.services.privacy.
"""

from __future__ import annotations

from inventory.services.privacy import public_lessee_inn_text, public_lessee_name_text

#: Parcels the public may see (`p` is the parcel alias).
VISIBLE_PARCEL = "p.archived_at IS NULL"

#: Buildings and premises the public may see (`b` is the building alias).
VISIBLE_BUILDING = "b.archived_at IS NULL"

#: Contracts the public may see (`c` is the contract alias): drafts are not yet decided.
PUBLIC_CONTRACT = "c.archived_at IS NULL AND c.status <> 'draft'"

#: Contracts in force (`c`): the ones whose lessee a parcel's card, tile and search show.
ACTIVE_CONTRACT = "c.status = 'active' AND c.archived_at IS NULL"

#: The parcel (`p`) is under an active contract: it has a current lease, which
#: `parcel_current_lease` keeps per parcel (migration 0024, triggers on contracts and
#: their objects). A key lookup: the join of objects and contracts it replaces was
#: planned, over a page of a thousand parcels, as a hash of every active contract.
UNDER_ACTIVE_CONTRACT = "EXISTS (SELECT 1 FROM parcel_current_lease cl WHERE cl.parcel_id = p.id)"

#: A parcel (`p`) free to lease: free by its status and under no active contract. The
#: database keeps the status in step with the contracts (migration 0016); a status that
#: still lags behind them (the data-quality rule dq_status_contract_mismatch flags it)
#: must never offer a leased plot to the public.
FREE_PARCEL = f"p.status = 'free' AND NOT {UNDER_ACTIVE_CONTRACT}"

#: The status the public sees (`p`): leased, not free, when an active contract holds it.
#:
#: The current lease is looked up only for a parcel stored as free, and as a scalar
#: subquery (one row at most: `parcel_id` is the table's key), which PostgreSQL runs as
#: a key lookup per such parcel. Written as EXISTS, it was planned as a hash of every
#: current lease, built before the first row: 0.28 s of a 0.29 s page of 1,000 leased
#: parcels at 1,000,000 parcels, which takes 2 ms with the lookups. The hash did not pay
#: off over the whole layer either: counting its free parcels took 0.63-0.67 s with it,
#: 0.57 s with the lookups.
PUBLIC_STATUS = (
    "CASE WHEN p.status = 'free' AND "
    "(SELECT true FROM parcel_current_lease cl WHERE cl.parcel_id = p.id) "
    "THEN 'leased' ELSE p.status END"
)

#: A contract's rent per year (`c`), whichever period it is set in.
ANNUAL_RENT = "CASE WHEN c.rent_period = 'month' THEN c.rent_amount * 12 ELSE c.rent_amount END"

#: `LEFT JOIN LATERAL ... ac`: the parcel's current active contract (the most recent one
#: when the data wrongly holds two; the anomaly checks flag that) with its masked lessee.
#: A private individual's name and ИНН come out of it as NULL.
#:
#: Which contract that is, `parcel_current_lease` holds per parcel (migration 0024, kept
#: by triggers on contracts and their objects): the active, unarchived contract that
#: started last, the highest id among those that started the same day. Reading it is one
#: key lookup where finding it (the parcel's objects, their contracts, a sort) cost about
#: 12 of an OGC page's 45 ms at 1,000,000 parcels.
ACTIVE_CONTRACT_LATERAL = f"""
LEFT JOIN LATERAL (
    SELECT c.id, c.number, c.start_date, c.end_date, c.contracted_use_id,
           {ANNUAL_RENT} AS annual_rent,
           l.kind AS lessee_kind,
           {public_lessee_name_text("l")} AS lessee_name,
           {public_lessee_inn_text("l")} AS lessee_inn
    FROM parcel_current_lease cl
    JOIN lease_contract c ON c.id = cl.contract_id
    JOIN lessee l ON l.id = c.lessee_id
    WHERE cl.parcel_id = p.id
) ac ON true
"""
