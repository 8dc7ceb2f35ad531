"""parcel_overlap: two parcels whose outlines overlap by more than the tolerance (1 m²),
measured in Kyrg-06.

A full scan reads the pairs kept in `parcel_overlap` (refreshed first for the parcels
that moved since the last scan: services/anomalies/overlaps.py); a re-check of a few
parcels tests them against their neighbours directly. Both measure a pair's overlap in
the pair's id order, so they give the same figure.
"""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies import overlaps
from inventory.services.anomalies.rules.base import (
    Rule,
    in_municipality,
    materialized_in_recheck,
    pair_of,
)
from inventory.services.anomalies.rules.sentences import Sentence, number
from inventory.services.privacy import N_


def _flag_columns(m2: str) -> str:
    """SQL: the flag's columns for the pair `a`, `b` overlapping by `m2` square metres."""
    return f"""SELECT 'parcel:' || a.id || '|parcel:' || b.id AS fingerprint, a.municipality_id,
       a.id AS parcel_id, NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcels', jsonb_build_array(
                              jsonb_build_object('id', a.id, 'ident_code', a.ident_code,
                                                 'measured_m2', a.measured_area),
                              jsonb_build_object('id', b.id, 'ident_code', b.ident_code,
                                                 'measured_m2', b.measured_area)),
                          'overlap_m2', {m2},
                          'tolerance_m2', CAST(:tolerance_m2 AS numeric)) AS evidence
"""


QUERY = sa.text(f"""
WITH pairs AS {materialized_in_recheck()} (
    -- Candidates by the spatial index: bounding boxes overlap, then the outlines meet
    -- (cheap: PostGIS prepares x.geom once for all its candidates), then the interiors
    -- meet (parcels that only share an edge are not compared).
    SELECT least(x.id, y.id) AS a_id, greatest(x.id, y.id) AS b_id
      FROM parcel x
      JOIN parcel y ON y.geom && x.geom AND {pair_of("parcel", "x.id", "y.id")}
                   AND y.archived_at IS NULL AND ST_Intersects(x.geom, y.geom)
                   AND ST_Relate(x.geom, y.geom, '2********')
     WHERE x.archived_at IS NULL AND x.geom IS NOT NULL
)
{_flag_columns("o.m2")}
  FROM pairs
  JOIN parcel a ON a.id = pairs.a_id
  JOIN parcel b ON b.id = pairs.b_id
 -- Measured in the pair's order, so a full scan and a re-check give the same figure.
 CROSS JOIN LATERAL (
       SELECT {overlaps.OVERLAP_M2} AS m2) o
 WHERE o.m2 > CAST(:tolerance_m2 AS numeric) AND {in_municipality("a.municipality_id")}
""")

# The stored pairs; parcel_overlap holds live parcels only, measured as above.
FULL_QUERY = sa.text(f"""
{_flag_columns("o.overlap_m2")}
  FROM parcel_overlap o
  JOIN parcel a ON a.id = o.a_id
  JOIN parcel b ON b.id = o.b_id
 WHERE o.overlap_m2 > CAST(:tolerance_m2 AS numeric)
   AND a.archived_at IS NULL AND b.archived_at IS NULL
   AND {in_municipality("a.municipality_id")}
""")

RULE = Rule(
    code="parcel_overlap",
    label=N_("Overlapping parcels"),
    severity=Severity.WARNING,
    object_kind="parcel_pair",
    finds="two parcels overlapping by more than {ANOMALY_OVERLAP_TOLERANCE_M2} m², measured "
    "in Kyrg-06",
    message=Sentence.of(
        N_("Parcels %(a)s and %(b)s overlap by %(m2)s m²."),
        a="parcels.0.ident_code",
        b="parcels.1.ident_code",
        m2=number("overlap_m2"),
    ),
    select=QUERY,
    settings={"tolerance_m2": "ANOMALY_OVERLAP_TOLERANCE_M2"},
    full_select=FULL_QUERY,
    prepare=overlaps.refresh,
)
