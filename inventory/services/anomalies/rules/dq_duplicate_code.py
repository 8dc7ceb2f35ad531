"""dq_duplicate_code: two parcels of one municipality whose codes are equal once spaces
and leading zeros of each group of digits are ignored (5-08-01-012-3 = 5-08-01-0012-0003).

The comparable form is `parcel.ident_code_key`, kept by the database from the code
(migration 0004) and indexed per municipality, so a re-check is an index lookup and a
full scan one hash join.
"""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, pair_of
from inventory.services.anomalies.rules.sentences import Sentence
from inventory.services.privacy import N_

QUERY = sa.text(f"""
WITH pairs AS (
    SELECT least(x.id, y.id) AS a_id, greatest(x.id, y.id) AS b_id
      FROM parcel x
      JOIN parcel y ON y.municipality_id = x.municipality_id
                   AND y.ident_code_key = x.ident_code_key
                   AND {pair_of("parcel", "x.id", "y.id")} AND y.archived_at IS NULL
     WHERE x.archived_at IS NULL AND {in_municipality("x.municipality_id")}
)
SELECT 'parcel:' || a.id || '|parcel:' || b.id AS fingerprint, a.municipality_id,
       a.id AS parcel_id, NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcels', jsonb_build_array(
                              jsonb_build_object('id', a.id, 'ident_code', a.ident_code),
                              jsonb_build_object('id', b.id, 'ident_code', b.ident_code)),
                          'normalised_code', a.ident_code_key) AS evidence
  FROM pairs
  JOIN parcel a ON a.id = pairs.a_id
  JOIN parcel b ON b.id = pairs.b_id
""")

RULE = Rule(
    code="dq_duplicate_code",
    label=N_("Duplicate identification code"),
    severity=Severity.INFO,
    object_kind="parcel_pair",
    finds="two identification codes of one municipality equal but for leading zeros and spaces",
    message=Sentence.of(
        N_(
            "Parcel codes '%(a)s' and '%(b)s' are the same code once leading zeros and "
            "spaces are ignored."
        ),
        a="parcels.0.ident_code",
        b="parcels.1.ident_code",
    ),
    select=QUERY,
)
