"""dq_status_contract_mismatch: a parcel marked leased that no active contract holds, or
marked free while an active contract holds it.

The database keeps free and leased in step with the contracts (migration 0016), so this
finds what slipped past it: a status an officer or a script set by hand against the
contracts, or data restored from before the triggers. Municipal use, reserved and
disputed are an officer's own statement and are not compared.
"""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, scoped
from inventory.services.anomalies.rules.sentences import Either, Sentence
from inventory.services.privacy import N_

QUERY = sa.text(f"""
WITH active AS (
    SELECT co.parcel_id,
           (array_agg(c.id ORDER BY c.start_date DESC, c.id DESC))[1] AS contract_id,
           (array_agg(c.number ORDER BY c.start_date DESC, c.id DESC))[1] AS number
      FROM contract_object co
      JOIN lease_contract c ON c.id = co.contract_id
     WHERE c.status = 'active' AND c.archived_at IS NULL AND co.parcel_id IS NOT NULL
       AND {scoped("parcel", "co.parcel_id")}
     GROUP BY co.parcel_id
)
SELECT 'parcel:' || p.id AS fingerprint, p.municipality_id, p.id AS parcel_id,
       a.contract_id, NULL::int AS building_id,
       jsonb_build_object('parcel', p.ident_code, 'status', p.status,
                          'contract', a.number) AS evidence
  FROM parcel p
  LEFT JOIN active a ON a.parcel_id = p.id
 WHERE p.archived_at IS NULL AND p.status IN ('free', 'leased')
   AND (p.status = 'leased') <> (a.parcel_id IS NOT NULL)
   AND {in_municipality("p.municipality_id")} AND {scoped("parcel", "p.id")}
""")

RULE = Rule(
    code="dq_status_contract_mismatch",
    label=N_("Parcel status disagrees with its contracts"),
    severity=Severity.WARNING,
    object_kind="parcel",
    finds="a parcel marked leased with no active contract, or free with one",
    message=Either(
        "contract",
        then=Sentence.of(
            N_("Parcel %(parcel)s is marked free, yet contract %(contract)s on it is active.")
        ),
        otherwise=Sentence.of(
            N_("Parcel %(parcel)s is marked leased, yet no contract on it is active.")
        ),
    ),
    select=QUERY,
)
