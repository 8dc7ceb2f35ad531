"""rent_below_norm: an active contract on parcels whose annual rent is below the
normative rent by more than the threshold (20 %).

Norm = leased area x base rate (municipality, land category of the parcel, latest
valid_from <= as_of) x Kz (economic zone valid at as_of containing a point on the
parcel's surface: `parcel.surface_point`, kept by the database) x Kf (contracted use),
base rate x Kz averaged over the parcels when a contract has several. Contracts on
buildings only have no land norm; a contract whose parcels lack a rate or a zone has no
computable norm and is not judged.
"""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import AS_OF, Rule, in_municipality, scoped
from inventory.services.anomalies.rules.sentences import Either, Field, Sentence, number
from inventory.services.privacy import N_

QUERY = sa.text(f"""
WITH leases AS MATERIALIZED (
    SELECT c.id, c.municipality_id, c.number, c.contracted_use_id, c.rent_amount,
           c.rent_period, c.leased_area,
           CASE WHEN c.rent_period = 'month' THEN c.rent_amount * 12
                ELSE c.rent_amount END AS annual_rent
      FROM lease_contract c
     WHERE c.status = 'active' AND c.archived_at IS NULL
       AND {in_municipality("c.municipality_id")} AND {scoped("contract", "c.id")}
), leased AS MATERIALIZED (
    SELECT co.contract_id, co.parcel_id, co.leased_area
      FROM leases l JOIN contract_object co ON co.contract_id = l.id
     WHERE co.parcel_id IS NOT NULL
), zoned AS (
    -- The zone valid at as_of around each leased parcel's stored surface point. Written
    -- zone by zone: testing one zone's polygon against many points in a row lets
    -- PostGIS reuse its prepared edges, and the points come from their spatial index.
    SELECT DISTINCT ON (p.id) p.id AS parcel_id, z.code, z.kz
      FROM economic_zone z
      JOIN parcel p ON ST_Contains(z.geom, p.surface_point)
                   -- IS TRUE: a filter, not an index condition (ANDing the index of a
                   -- whole municipality's parcels with the spatial one costs more)
                   AND (p.municipality_id = z.municipality_id) IS TRUE
     WHERE z.valid_from <= {AS_OF} AND (z.valid_to IS NULL OR z.valid_to >= {AS_OF})
       AND p.id IN (SELECT parcel_id FROM leased)
     ORDER BY p.id, z.valid_from DESC, z.id DESC
), per_parcel AS (
    SELECT lp.contract_id, p.id AS parcel_id, p.ident_code, lp.leased_area,
           coalesce(p.documented_area, p.measured_area) AS parcel_area,
           cat.code AS land_category, rate.rate, rate.valid_from AS rate_from,
           zone.code AS zone, zone.kz
      FROM leased lp
      JOIN parcel p ON p.id = lp.parcel_id
      LEFT JOIN land_category cat ON cat.id = p.land_category_id
      LEFT JOIN zoned zone ON zone.parcel_id = p.id
      LEFT JOIN LATERAL (
          SELECT b.rate, b.valid_from FROM base_rate b
           WHERE b.municipality_id = p.municipality_id
             AND b.land_category_id = p.land_category_id AND b.valid_from <= {AS_OF}
           ORDER BY b.valid_from DESC LIMIT 1) rate ON true
), per_contract AS (
    -- Summed by contract id alone (a hash aggregate), then joined to the contract: a
    -- GROUP BY over the contract's columns sorted 610,000 wide rows at 1,000,000.
    SELECT pp.contract_id, min(pp.parcel_id) AS parcel_id, count(*) AS parcels,
           count(pp.rate * pp.kz) AS rated, avg(pp.rate * pp.kz) AS rate_x_kz,
           sum(pp.leased_area) AS leased_area, sum(pp.parcel_area) AS parcel_area
      FROM per_parcel pp
     GROUP BY pp.contract_id
), norms AS (
    SELECT l.id, l.municipality_id, l.number, l.rent_amount, l.rent_period, l.annual_rent,
           u.code AS contracted_use, u.kf, pc.parcel_id, pc.parcels, pc.rated,
           pc.rate_x_kz, coalesce(l.leased_area, pc.leased_area, pc.parcel_area) AS area
      FROM leases l
      JOIN per_contract pc ON pc.contract_id = l.id
      JOIN land_use u ON u.id = l.contracted_use_id
), below AS (
    SELECT n.*, round(n.area * n.rate_x_kz * n.kf, 2) AS norm
      FROM norms n
     WHERE n.rated = n.parcels AND n.area IS NOT NULL
       AND round(n.area * n.rate_x_kz * n.kf, 2) > 0
       AND n.annual_rent < round(n.area * n.rate_x_kz * n.kf, 2)
                           * (1 - CAST(:percent AS numeric) / 100)
), judged AS (
    -- The factors of every parcel, as evidence, only for the contracts found below.
    SELECT b.*, jsonb_agg(jsonb_build_object('parcel', pp.ident_code,
                                             'land_category', pp.land_category,
                                             'base_rate', pp.rate,
                                             'base_rate_from', pp.rate_from,
                                             'zone', pp.zone, 'kz', pp.kz)
                          ORDER BY pp.ident_code) AS parcel_factors
      FROM below b
      JOIN per_parcel pp ON pp.contract_id = b.id
     GROUP BY b.id, b.municipality_id, b.number, b.rent_amount, b.rent_period,
              b.annual_rent, b.contracted_use, b.kf, b.parcel_id, b.parcels, b.rated,
              b.rate_x_kz, b.area, b.norm
)
SELECT 'contract:' || j.id AS fingerprint, j.municipality_id, j.parcel_id,
       j.id AS contract_id, NULL::int AS building_id,
       jsonb_build_object('contract', j.number, 'rent_amount', j.rent_amount,
                          'rent_period', j.rent_period, 'annual_rent', j.annual_rent,
                          'norm', j.norm, 'leased_area_m2', j.area,
                          'contracted_use', j.contracted_use, 'kf', j.kf,
                          'parcels', j.parcel_factors,
                          'percent_of_norm', round(100 * j.annual_rent / j.norm, 1),
                          'threshold_percent_below', CAST(:percent AS numeric)) AS evidence
  FROM judged j
 WHERE j.norm > 0
   AND j.annual_rent < j.norm * (1 - CAST(:percent AS numeric) / 100)
""")

RULE = Rule(
    code="rent_below_norm",
    label=N_("Rent below the norm"),
    severity=Severity.WARNING,
    object_kind="contract",
    finds="annual rent more than {ANOMALY_RENT_BELOW_NORM_PERCENT} % below area × base rate × "
    "Kz × Kf",
    # One parcel: the norm's factors each told; several: their base rate x Kz is averaged.
    message=Either(
        "parcels.1",
        then=Sentence.of(
            N_(
                "Contract %(contract)s: annual rent %(rent)s som is %(percent)s %% of the "
                "normative rent %(norm)s som (%(area)s m², Kf %(kf)s for %(use)s)."
            ),
            rent=number("annual_rent"),
            percent=number("percent_of_norm"),
            norm=number("norm"),
            area=number("leased_area_m2"),
            kf=number("kf"),
            use=Field("contracted_use", names="contracted_use"),
        ),
        otherwise=Sentence.of(
            N_(
                "Contract %(contract)s: annual rent %(rent)s som is %(percent)s %% of the "
                "normative rent %(norm)s som = %(area)s m² × base rate %(rate)s som per m² × "
                "Kz %(kz)s × Kf %(kf)s for %(use)s."
            ),
            rent=number("annual_rent"),
            percent=number("percent_of_norm"),
            norm=number("norm"),
            area=number("leased_area_m2"),
            rate=number("parcels.0.base_rate"),
            kz=number("parcels.0.kz"),
            kf=number("kf"),
            use=Field("contracted_use", names="contracted_use"),
        ),
    ),
    select=QUERY,
    settings={"percent": "ANOMALY_RENT_BELOW_NORM_PERCENT"},
    weight=18,
)
