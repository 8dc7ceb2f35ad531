"""A contract's money in SQL: arrears against its schedule and the normative rent.

Arrears are what the `arrears` anomaly rule finds, by its own SQL (rules/arrears.py) and
settings: instalments due more than the grace period ago, less the payments received,
counted only above the minimum amount.

Normative annual rent = leased area (m²) × base rate (som/m²/year, of the municipality
and the parcel's land category, latest valid on the day) × Kz (economic zone valid on the
day containing the parcel's centroid) × Kf (contracted use), the rate factors averaged
over the contract's parcels, as the `rent_below_norm` rule defines it (data/README.md).
Contracts on buildings only have no land norm (None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_app_context

from inventory.config import with_defaults
from inventory.services.anomalies.rules.arrears import INSTALMENT_OWED, PAYMENT_COUNTED, behind

# The `arrears` rule's own definition (rules/arrears.py), for one contract: the figure
# shown and the flag can never disagree.
_ARREARS = sa.text(f"""
    SELECT due, paid, CASE WHEN {behind("due", "paid")} THEN due - paid ELSE 0 END AS owed
      FROM (SELECT coalesce((SELECT sum(s.amount) FROM scheduled_payment s
                              WHERE s.contract_id = :id AND {INSTALMENT_OWED}), 0) AS due,
                   coalesce((SELECT sum(p.amount) FROM payment p
                              WHERE p.contract_id = :id AND {PAYMENT_COUNTED}), 0) AS paid) t
""")

_NORM = sa.text("""
    WITH per_parcel AS (
        SELECT co.id AS object_id, br.rate * z.kz * u.kf AS factor,
               coalesce(co.leased_area, p.measured_area) AS area
          FROM contract_object co
          JOIN lease_contract c ON c.id = co.contract_id
          JOIN parcel p ON p.id = co.parcel_id
          LEFT JOIN land_use u ON u.id = c.contracted_use_id
          LEFT JOIN LATERAL (
              SELECT b.rate FROM base_rate b
               WHERE b.municipality_id = c.municipality_id
                 AND b.land_category_id = p.land_category_id AND b.valid_from <= :today
               ORDER BY b.valid_from DESC LIMIT 1) br ON true
          LEFT JOIN LATERAL (
              SELECT e.kz FROM economic_zone e
               WHERE e.municipality_id = c.municipality_id AND e.valid_from <= :today
                 AND (e.valid_to IS NULL OR e.valid_to >= :today)
                 AND ST_Contains(e.geom, ST_Centroid(p.geom))
               ORDER BY e.valid_from DESC LIMIT 1) z ON true
         WHERE co.contract_id = :id)
    SELECT count(object_id) AS parcels, count(factor) AS priced,
           coalesce(c.leased_area, sum(area)) AS area, avg(factor) AS factor,
           round(coalesce(c.leased_area, sum(area)) * avg(factor), 2) AS norm,
           c.rent_amount * CASE WHEN c.rent_period = 'month' THEN 12 ELSE 1 END AS annual
      FROM lease_contract c LEFT JOIN per_parcel ON true
     WHERE c.id = :id
     GROUP BY c.id
""")


def arrears(
    session: so.Session,
    contract_id: int,
    today: dt.date | None = None,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What the contract owes as the `arrears` rule judges it on `today`: `due`, the
    instalments due more than the grace period ago; `paid`, the payments received by
    today; `amount`, the shortfall when it exceeds the minimum amount, else 0.

    Grace period and minimum amount are ANOMALY_ARREARS_GRACE_DAYS and
    ANOMALY_ARREARS_MIN_AMOUNT of `settings`; None: the app's settings when called in
    the app, the documented defaults otherwise.
    """
    if settings is None and has_app_context():
        settings = current_app.config
    settings = with_defaults(settings)
    row = session.execute(
        _ARREARS,
        {
            "id": contract_id,
            "as_of": today or dt.date.today(),
            "grace_days": int(settings["ANOMALY_ARREARS_GRACE_DAYS"]),
            "min_amount": settings["ANOMALY_ARREARS_MIN_AMOUNT"],
        },
    ).one()
    return {"due": float(row.due), "paid": float(row.paid), "amount": float(row.owed)}


def rent_norm(
    session: so.Session, contract_id: int, today: dt.date | None = None
) -> dict[str, Any] | None:
    """The normative annual rent and how the contract's rent compares, or None.

    None when the contract has no parcels; `annual` is None (with the reason) when a
    base rate, zone or use coefficient is missing for one of its parcels.
    """
    row = session.execute(_NORM, {"id": contract_id, "today": today or dt.date.today()}).one()
    if not row.parcels:
        return None
    if row.priced < row.parcels or row.area is None:
        return {
            "annual": None,
            "reason": "no base rate, zone or use coefficient for every parcel, or no leased area",
        }
    norm = float(row.norm)
    return {
        "annual": norm,
        "area": float(row.area),
        "rate_factor": float(row.factor),
        "ratio": round(float(row.annual) / norm, 3) if norm else None,
    }
