"""dq_invalid_geometry: a parcel whose polygon arrived invalid (self-intersecting) and
is kept aside in geom_rejected until an officer repairs it."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, scoped
from inventory.services.anomalies.rules.sentences import Sentence
from inventory.services.privacy import N_

QUERY = sa.text(f"""
SELECT 'parcel:' || p.id AS fingerprint, p.municipality_id, p.id AS parcel_id,
       NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcel', p.ident_code,
                          'problem', coalesce(p.geom_problem,
                                              ST_IsValidReason(p.geom_rejected))) AS evidence
  FROM parcel p
 WHERE p.geom_rejected IS NOT NULL AND p.archived_at IS NULL
   AND {in_municipality("p.municipality_id")} AND {scoped("parcel", "p.id")}
""")

RULE = Rule(
    code="dq_invalid_geometry",
    label=N_("Invalid geometry"),
    severity=Severity.INFO,
    object_kind="parcel",
    finds="a parcel whose polygon arrived invalid, kept aside until an officer repairs it",
    message=Sentence.of(N_("Parcel %(parcel)s has an invalid polygon: %(problem)s.")),
    select=QUERY,
)
