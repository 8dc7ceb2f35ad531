"""dq_bad_code: an identification code that does not match its municipality's
pattern."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, scoped

QUERY = sa.text(f"""
SELECT 'parcel:' || p.id AS fingerprint, p.municipality_id, p.id AS parcel_id,
       NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcel', p.ident_code, 'pattern', m.code_pattern) AS evidence,
       format('Parcel code ''%s'' does not match the pattern %s of %s.', p.ident_code,
              m.code_pattern, m.name_en) AS message
  FROM parcel p
  JOIN municipality m ON m.id = p.municipality_id
 WHERE p.ident_code !~ m.code_pattern AND p.archived_at IS NULL
   AND {in_municipality("p.municipality_id")} AND {scoped("parcel", "p.id")}
""")

RULE = Rule(
    code="dq_bad_code",
    severity=Severity.INFO,
    object_kind="parcel",
    description="An identification code not matching the municipality's pattern.",
    query=QUERY,
    weight=5,
)
