"""dq_no_geometry: a parcel with no polygon at all (an invalid one kept aside for repair
is dq_invalid_geometry instead)."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, scoped
from inventory.services.anomalies.rules.sentences import Sentence, number
from inventory.services.privacy import N_

QUERY = sa.text(f"""
SELECT 'parcel:' || p.id AS fingerprint, p.municipality_id, p.id AS parcel_id,
       NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcel', p.ident_code,
                          'documented_m2', p.documented_area) AS evidence
  FROM parcel p
 WHERE p.geom IS NULL AND p.geom_rejected IS NULL AND p.archived_at IS NULL
   AND {in_municipality("p.municipality_id")} AND {scoped("parcel", "p.id")}
""")

RULE = Rule(
    code="dq_no_geometry",
    label=N_("No geometry"),
    severity=Severity.INFO,
    object_kind="parcel",
    finds="a parcel with no polygon at all",
    message=Sentence.of(
        N_("Parcel %(parcel)s has no polygon (%(area)s m² on the papers)."),
        area=number("documented_m2", missing=N_("no area")),
    ),
    select=QUERY,
)
