"""parcel_overlap: two parcels whose outlines overlap by more than the tolerance (1 m²),
measured in Kyrg-06."""
from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, scoped

QUERY = sa.text(f"""
SELECT 'parcel:' || a.id || '|parcel:' || b.id AS fingerprint, a.municipality_id,
       a.id AS parcel_id, NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcels', jsonb_build_array(
                              jsonb_build_object('id', a.id, 'ident_code', a.ident_code,
                                                 'measured_m2', a.measured_area),
                              jsonb_build_object('id', b.id, 'ident_code', b.ident_code,
                                                 'measured_m2', b.measured_area)),
                          'overlap_m2', o.m2,
                          'tolerance_m2', CAST(:tolerance_m2 AS numeric)) AS evidence,
       format('Parcels %s and %s overlap by %s m².', a.ident_code, b.ident_code, o.m2) AS message
  FROM parcel a
  JOIN parcel b ON b.id > a.id AND b.archived_at IS NULL AND b.geom && a.geom
               -- interiors meet: parcels that only share an edge are not compared
               AND ST_Relate(a.geom, b.geom, '2********')
 CROSS JOIN LATERAL (
       SELECT inventory_area_m2(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3))
              AS m2) o
 WHERE a.archived_at IS NULL AND o.m2 > CAST(:tolerance_m2 AS numeric)
   AND {in_municipality('a.municipality_id')} AND {scoped('parcel', 'a.id', 'b.id')}
""")

RULE = Rule(
    code="parcel_overlap",
    severity=Severity.WARNING,
    object_kind="parcel_pair",
    description="Two parcels overlapping beyond the tolerance.",
    query=QUERY,
    settings={"tolerance_m2": "ANOMALY_OVERLAP_TOLERANCE_M2"},
)
