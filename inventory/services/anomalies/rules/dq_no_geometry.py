"""dq_no_geometry: a parcel with no polygon at all (an invalid one kept aside for repair
is dq_invalid_geometry instead)."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, scoped

QUERY = sa.text(f"""
SELECT 'parcel:' || p.id AS fingerprint, p.municipality_id, p.id AS parcel_id,
       NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcel', p.ident_code,
                          'documented_m2', p.documented_area) AS evidence,
       format('Parcel %s has no polygon (%s m² on the papers).', p.ident_code,
              coalesce(p.documented_area::text, 'no area')) AS message
  FROM parcel p
 WHERE p.geom IS NULL AND p.geom_rejected IS NULL AND p.archived_at IS NULL
   AND {in_municipality("p.municipality_id")} AND {scoped("parcel", "p.id")}
""")

RULE = Rule(
    code="dq_no_geometry",
    severity=Severity.INFO,
    object_kind="parcel",
    description="A parcel without geometry.",
    query=QUERY,
)
