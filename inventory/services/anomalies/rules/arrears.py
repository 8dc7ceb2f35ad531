"""arrears: instalments due more than the grace period (30 days) before the scan date
exceed the payments received by more than the minimum amount (1,000 som)."""
from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import AS_OF, Rule, in_municipality, scoped

QUERY = sa.text(f"""
WITH due AS (
    SELECT s.contract_id, s.due_date, s.amount,
           sum(s.amount) OVER (PARTITION BY s.contract_id ORDER BY s.due_date) AS running
      FROM scheduled_payment s
      JOIN lease_contract c ON c.id = s.contract_id AND c.archived_at IS NULL
     WHERE s.due_date < {AS_OF} - CAST(:grace_days AS int)
       AND {in_municipality('c.municipality_id')} AND {scoped('contract', 'c.id')}
), paid AS (
    SELECT p.contract_id, sum(p.amount) AS total, max(p.paid_on) AS last_paid_on
      FROM payment p
     WHERE p.paid_on <= {AS_OF} AND p.archived_at IS NULL
       AND p.contract_id IN (SELECT contract_id FROM due)
     GROUP BY p.contract_id
), balance AS (
    SELECT d.contract_id, count(*) AS instalments, sum(d.amount) AS due_total,
           coalesce(max(paid.total), 0) AS paid_total, max(paid.last_paid_on) AS last_paid_on,
           -- Payments settle the oldest instalments first.
           min(d.due_date) FILTER (WHERE d.running > coalesce(paid.total, 0))
               AS oldest_unpaid_due
      FROM due d LEFT JOIN paid ON paid.contract_id = d.contract_id
     GROUP BY d.contract_id
)
SELECT 'contract:' || c.id AS fingerprint, c.municipality_id, NULL::int AS parcel_id,
       c.id AS contract_id, NULL::int AS building_id,
       jsonb_build_object('contract', c.number, 'contract_status', c.status,
                          'as_of', {AS_OF},
                          'due_before', {AS_OF} - CAST(:grace_days AS int),
                          'instalments_due', b.instalments, 'due_total', b.due_total,
                          'paid_total', b.paid_total,
                          'owed', b.due_total - b.paid_total,
                          'oldest_unpaid_due', b.oldest_unpaid_due,
                          'last_paid_on', b.last_paid_on,
                          'min_amount', CAST(:min_amount AS numeric)) AS evidence,
       format('Contract %s is %s som behind: %s som due in %s instalments before %s, '
              '%s som paid; unpaid since the instalment due %s (last payment: %s).',
              c.number, b.due_total - b.paid_total, b.due_total, b.instalments,
              {AS_OF} - CAST(:grace_days AS int), b.paid_total, b.oldest_unpaid_due,
              coalesce(b.last_paid_on::text, 'none')) AS message
  FROM balance b
  JOIN lease_contract c ON c.id = b.contract_id
 WHERE b.due_total - b.paid_total > CAST(:min_amount AS numeric)
""")

RULE = Rule(
    code="arrears",
    severity=Severity.CRITICAL,
    object_kind="contract",
    description="Payments behind schedule by more than the threshold.",
    query=QUERY,
    settings={"grace_days": "ANOMALY_ARREARS_GRACE_DAYS",
              "min_amount": "ANOMALY_ARREARS_MIN_AMOUNT"},
    volatile=("as_of", "due_before"),
)
