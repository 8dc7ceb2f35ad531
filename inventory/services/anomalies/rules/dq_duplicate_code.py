"""dq_duplicate_code: two parcels of one municipality whose codes are equal once spaces
and leading zeros of each group of digits are ignored (5-08-01-012-3 = 5-08-01-0012-0003)."""
from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality

QUERY = sa.text(rf"""
WITH codes AS (
    SELECT p.id, p.municipality_id, p.ident_code,
           regexp_replace(regexp_replace(p.ident_code, '\s+', '', 'g'),
                          '(^|\D)0+(\d)', '\1\2', 'g') AS normal
      FROM parcel p
     WHERE p.archived_at IS NULL AND {in_municipality('p.municipality_id')}
)
SELECT 'parcel:' || a.id || '|parcel:' || b.id AS fingerprint, a.municipality_id,
       a.id AS parcel_id, NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcels', jsonb_build_array(
                              jsonb_build_object('id', a.id, 'ident_code', a.ident_code),
                              jsonb_build_object('id', b.id, 'ident_code', b.ident_code)),
                          'normalised_code', a.normal) AS evidence,
       format('Parcel codes ''%s'' and ''%s'' are the same code once leading zeros and '
              'spaces are ignored.', a.ident_code, b.ident_code) AS message
  FROM codes a
  JOIN codes b ON b.municipality_id = a.municipality_id AND b.normal = a.normal
              AND b.id > a.id
 WHERE NOT CAST(:scoped AS boolean)
    OR a.id = ANY(CAST(:parcel_ids AS int[])) OR b.id = ANY(CAST(:parcel_ids AS int[]))
""")

RULE = Rule(
    code="dq_duplicate_code",
    severity=Severity.INFO,
    object_kind="parcel_pair",
    description="Two identification codes equal but for leading zeros and spaces.",
    query=QUERY,
)
