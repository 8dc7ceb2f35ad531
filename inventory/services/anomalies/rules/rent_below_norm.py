"""rent_below_norm: an active contract on parcels whose annual rent is below the
normative rent by more than the threshold (20 %).

Norm = leased area x base rate (municipality, land category of the parcel, latest
valid_from <= as_of) x Kz (economic zone valid at as_of containing a point on the
parcel's surface) x Kf (contracted use), base rate x Kz averaged over the parcels when a
contract has several. Contracts on buildings only have no land norm; a contract whose
parcels lack a rate or a zone has no computable norm and is not judged.
"""
from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import AS_OF, Rule, in_municipality, scoped

QUERY = sa.text(f"""
WITH leases AS (
    SELECT c.id, c.municipality_id, c.number, c.contracted_use_id, c.rent_amount,
           c.rent_period, c.leased_area,
           CASE WHEN c.rent_period = 'month' THEN c.rent_amount * 12
                ELSE c.rent_amount END AS annual_rent
      FROM lease_contract c
     WHERE c.status = 'active' AND c.archived_at IS NULL
       AND {in_municipality('c.municipality_id')} AND {scoped('contract', 'c.id')}
), per_parcel AS (
    SELECT l.id AS contract_id, p.id AS parcel_id, p.ident_code, co.leased_area,
           coalesce(p.documented_area, p.measured_area) AS parcel_area,
           cat.code AS land_category, rate.rate, rate.valid_from AS rate_from,
           zone.code AS zone, zone.kz
      FROM leases l
      JOIN contract_object co ON co.contract_id = l.id
      JOIN parcel p ON p.id = co.parcel_id
      LEFT JOIN land_category cat ON cat.id = p.land_category_id
      LEFT JOIN LATERAL (
          SELECT b.rate, b.valid_from FROM base_rate b
           WHERE b.municipality_id = p.municipality_id
             AND b.land_category_id = p.land_category_id AND b.valid_from <= {AS_OF}
           ORDER BY b.valid_from DESC LIMIT 1) rate ON true
      LEFT JOIN LATERAL (
          SELECT z.code, z.kz FROM economic_zone z
           WHERE z.municipality_id = p.municipality_id AND z.valid_from <= {AS_OF}
             AND (z.valid_to IS NULL OR z.valid_to >= {AS_OF})
             AND ST_Contains(z.geom, ST_PointOnSurface(p.geom))
           ORDER BY z.valid_from DESC, z.id DESC LIMIT 1) zone ON true
), norms AS (
    SELECT l.id, l.municipality_id, l.number, l.rent_amount, l.rent_period, l.annual_rent,
           u.code AS contracted_use, u.kf, min(pp.parcel_id) AS parcel_id,
           count(*) AS parcels, count(pp.rate * pp.kz) AS rated,
           avg(pp.rate * pp.kz) AS rate_x_kz,
           coalesce(l.leased_area, sum(pp.leased_area), sum(pp.parcel_area)) AS area,
           jsonb_agg(jsonb_build_object('parcel', pp.ident_code,
                                        'land_category', pp.land_category,
                                        'base_rate', pp.rate, 'base_rate_from', pp.rate_from,
                                        'zone', pp.zone, 'kz', pp.kz)
                     ORDER BY pp.ident_code) AS parcel_factors
      FROM leases l
      JOIN per_parcel pp ON pp.contract_id = l.id
      JOIN land_use u ON u.id = l.contracted_use_id
     GROUP BY l.id, l.municipality_id, l.number, l.rent_amount, l.rent_period,
              l.annual_rent, l.leased_area, u.code, u.kf
), judged AS (
    SELECT n.*, round(n.area * n.rate_x_kz * n.kf, 2) AS norm
      FROM norms n
     WHERE n.rated = n.parcels AND n.area IS NOT NULL
)
SELECT 'contract:' || j.id AS fingerprint, j.municipality_id, j.parcel_id,
       j.id AS contract_id, NULL::int AS building_id,
       jsonb_build_object('contract', j.number, 'rent_amount', j.rent_amount,
                          'rent_period', j.rent_period, 'annual_rent', j.annual_rent,
                          'norm', j.norm, 'leased_area_m2', j.area,
                          'contracted_use', j.contracted_use, 'kf', j.kf,
                          'parcels', j.parcel_factors,
                          'percent_of_norm', round(100 * j.annual_rent / j.norm, 1),
                          'threshold_percent_below', CAST(:percent AS numeric)) AS evidence,
       format('Contract %s: annual rent %s som is %s %% of the norm %s som '
              '(%s m² x %s som/m² base rate x Kz x Kf %s for %s).', j.number,
              j.annual_rent, round(100 * j.annual_rent / j.norm, 1), j.norm, j.area,
              round(j.rate_x_kz, 2), j.kf, j.contracted_use) AS message
  FROM judged j
 WHERE j.norm > 0
   AND j.annual_rent < j.norm * (1 - CAST(:percent AS numeric) / 100)
""")

RULE = Rule(
    code="rent_below_norm",
    severity=Severity.WARNING,
    object_kind="contract",
    description="Annual rent below the normative rent by more than the threshold.",
    query=QUERY,
    settings={"percent": "ANOMALY_RENT_BELOW_NORM_PERCENT"},
)
