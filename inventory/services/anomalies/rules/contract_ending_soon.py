"""contract_ending_soon: an active contract ending within the warning window (90 days
by default) that no contract renews or amends yet."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import AS_OF, Rule, in_municipality, scoped
from inventory.services.anomalies.rules.sentences import Sentence, number
from inventory.services.privacy import N_

QUERY = sa.text(f"""
SELECT 'contract:' || c.id AS fingerprint, c.municipality_id, NULL::int AS parcel_id,
       c.id AS contract_id, NULL::int AS building_id,
       jsonb_build_object('contract', c.number, 'end_date', c.end_date, 'as_of', {AS_OF},
                          'days_left', c.end_date - {AS_OF},
                          'window_days', CAST(:days AS int)) AS evidence
  FROM lease_contract c
 WHERE c.status = 'active' AND c.archived_at IS NULL
   AND c.end_date >= {AS_OF} AND c.end_date - {AS_OF} <= CAST(:days AS int)
   AND {in_municipality("c.municipality_id")} AND {scoped("contract", "c.id")}
   -- A renewal or amendment already registered (even as a draft) answers the warning.
   AND NOT EXISTS (SELECT 1 FROM lease_contract successor
                    WHERE successor.previous_id = c.id AND successor.archived_at IS NULL
                      AND successor.status <> 'terminated')
""")

RULE = Rule(
    code="contract_ending_soon",
    label=N_("Contract ending soon"),
    severity=Severity.WARNING,
    object_kind="contract",
    finds="an active contract ending within {ANOMALY_ENDING_SOON_DAYS} days, not renewed",
    message=Sentence.of(
        N_(
            "Contract %(contract)s ends on %(end_date)s, %(days)s days after %(as_of)s, and "
            "nothing renews it yet."
        ),
        days=number("days_left"),
    ),
    select=QUERY,
    settings={"days": "ANOMALY_ENDING_SOON_DAYS"},
    volatile=("as_of", "days_left"),
    weight=7,
)
