"""The normative annual rent of a free parcel, the natural starting rent of its lot.

Norm = area (m²) × base rate (municipality and the parcel's land category, latest valid
on the day) × Kz (the economic zone valid on the day around the parcel's surface point)
× Kf (the lot's use): the formula of the `rent_below_norm` rule (data/README.md), for a
parcel not yet leased. None when a factor is missing, or for premises (no land norm).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

_NORM = sa.text("""
    SELECT round(CAST(:area AS numeric) * rate.rate * zone.kz * u.kf, 2)
      FROM parcel p
      JOIN land_use u ON u.id = :use_id
      JOIN LATERAL (
          SELECT b.rate FROM base_rate b
           WHERE b.municipality_id = p.municipality_id
             AND b.land_category_id = p.land_category_id AND b.valid_from <= :today
           ORDER BY b.valid_from DESC LIMIT 1) rate ON true
      JOIN LATERAL (
          SELECT z.kz FROM economic_zone z
           WHERE z.municipality_id = p.municipality_id AND z.valid_from <= :today
             AND (z.valid_to IS NULL OR z.valid_to >= :today)
             AND ST_Contains(z.geom, p.surface_point)
           ORDER BY z.valid_from DESC, z.id DESC LIMIT 1) zone ON true
     WHERE p.id = :parcel_id
""")


def parcel_norm(
    session: so.Session,
    parcel_id: int,
    use_id: int | None,
    area: Decimal | None,
    today: dt.date | None = None,
) -> Decimal | None:
    """The normative annual rent in som of leasing `area` m² of the parcel for the use,
    or None when the area, the use, the base rate or the zone is missing."""
    if use_id is None or area is None:
        return None
    return session.scalar(
        _NORM,
        {
            "parcel_id": parcel_id,
            "use_id": use_id,
            "area": area,
            "today": today or dt.date.today(),
        },
    )
