"""protected_layer_lease: an active contract with a commercial contracted use on a
parcel that overlaps a protected area (green zone, water protection strip, red line) by
more than the tolerance (1 m²)."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import (
    Rule,
    in_municipality,
    materialized_in_recheck,
    scoped,
)
from inventory.services.anomalies.rules.sentences import Field, Items, Sentence, number
from inventory.services.privacy import N_

QUERY = sa.text(f"""
WITH leased AS MATERIALIZED (
    SELECT c.id, c.municipality_id, c.number, u.code AS contracted_use, co.parcel_id
      FROM lease_contract c
      JOIN land_use u ON u.id = c.contracted_use_id AND u.is_commercial
      JOIN contract_object co ON co.contract_id = c.id
     WHERE c.status = 'active' AND c.archived_at IS NULL AND co.parcel_id IS NOT NULL
       AND {in_municipality("c.municipality_id")} AND {scoped("contract", "c.id")}
), touching AS {materialized_in_recheck()} (
    -- Protected areas outside in: each area's polygon is prepared once by PostGIS for
    -- all the parcels its box covers, so the cheap ST_Intersects rejects most of them;
    -- only parcels under a commercial lease are looked at.
    SELECT pa.id AS area_id, p.id AS parcel_id
      FROM protected_area pa
      JOIN parcel p ON p.geom && pa.geom AND ST_Intersects(pa.geom, p.geom)
                   AND ST_Relate(pa.geom, p.geom, '2********')
     WHERE p.id IN (SELECT parcel_id FROM leased)
), hits AS (
    SELECT l.id, l.municipality_id, l.number, l.contracted_use, p.id AS parcel_id,
           p.ident_code, pa.kind, pa.name, o.m2
      FROM touching t
      JOIN leased l ON l.parcel_id = t.parcel_id
      JOIN parcel p ON p.id = t.parcel_id
      JOIN protected_area pa ON pa.id = t.area_id
     -- OFFSET 0: measured once per parcel and area (pulled up, the intersection of a
     -- park's polygon with the parcel was computed again for the evidence).
     CROSS JOIN LATERAL (
           SELECT inventory_area_m2(ST_CollectionExtract(ST_Intersection(pa.geom, p.geom), 3))
                  AS m2 OFFSET 0) o
     WHERE o.m2 > CAST(:tolerance_m2 AS numeric)
)
SELECT 'contract:' || id AS fingerprint, municipality_id, min(parcel_id) AS parcel_id,
       id AS contract_id, NULL::int AS building_id,
       jsonb_build_object('contract', number, 'contracted_use', contracted_use,
                          'overlaps', jsonb_agg(jsonb_build_object(
                              'parcel', ident_code, 'kind', kind, 'name', name,
                              'overlap_m2', m2) ORDER BY m2 DESC, name),
                          'tolerance_m2', CAST(:tolerance_m2 AS numeric)) AS evidence
  FROM hits
 GROUP BY id, municipality_id, number, contracted_use
""")

RULE = Rule(
    code="protected_layer_lease",
    label=N_("Commercial lease on protected land"),
    severity=Severity.CRITICAL,
    object_kind="contract",
    finds="an active commercial lease on a parcel overlapping a park, water protection strip "
    "or street red line by more than {ANOMALY_OVERLAP_TOLERANCE_M2} m²",
    message=Sentence.of(
        N_(
            "Contract %(contract)s (%(use)s, a commercial use) is on land that overlaps "
            "%(overlaps)s."
        ),
        use=Field("contracted_use", names="contracted_use"),
        overlaps=Items(
            "overlaps",
            Sentence.of(
                N_("%(kind)s '%(name)s' by %(m2)s m² (parcel %(parcel)s)"),
                kind=Field("kind", words=True, names="protected_kind"),
                m2=number("overlap_m2"),
            ),
            "; ",
        ),
    ),
    select=QUERY,
    settings={"tolerance_m2": "ANOMALY_OVERLAP_TOLERANCE_M2"},
    weight=7,
)
