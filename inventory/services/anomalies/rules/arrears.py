"""arrears: instalments due more than the grace period (30 days) before the scan date
exceed the payments received by more than the minimum amount (1,000 som).

Sums first, details after: the instalments due and the payments received are summed per
contract with plain aggregates (no window, no sort over the whole schedule), and only the
contracts found behind get the running total that tells which instalment is the oldest
one left unpaid.
"""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import AS_OF, Rule, in_municipality, scoped
from inventory.services.anomalies.rules.sentences import Field, Sentence, number
from inventory.services.privacy import N_

# What a contract owes, defined once: the rule below and a contract's `arrears` figure
# (inventory.services.records.money, shown in the API and the office) both read these,
# with the same settings (ANOMALY_ARREARS_GRACE_DAYS as :grace_days,
# ANOMALY_ARREARS_MIN_AMOUNT as :min_amount) and :as_of the day judged.

#: Instalments (`s`) count once due more than the grace period before the day judged.
_DUE_BEFORE = f"({AS_OF} - CAST(:grace_days AS int))"
INSTALMENT_OWED = f"s.due_date < {_DUE_BEFORE}"
#: Payments (`p`) count once received by the day judged.
PAYMENT_COUNTED = f"p.paid_on <= {AS_OF} AND p.archived_at IS NULL"


def behind(due: str, paid: str) -> str:
    """SQL: the sums `due` (of INSTALMENT_OWED) and `paid` (of PAYMENT_COUNTED) make
    arrears: the shortfall exceeds the minimum amount."""
    return f"{due} - {paid} > CAST(:min_amount AS numeric)"


QUERY = sa.text(f"""
WITH due AS (
    SELECT s.contract_id, count(*) AS instalments, sum(s.amount) AS due_total
      FROM scheduled_payment s
     WHERE {INSTALMENT_OWED} AND {scoped("contract", "s.contract_id")}
     GROUP BY s.contract_id
), paid AS (
    SELECT p.contract_id, sum(p.amount) AS total, max(p.paid_on) AS last_paid_on
      FROM payment p
     WHERE {PAYMENT_COUNTED} AND {scoped("contract", "p.contract_id")}
     GROUP BY p.contract_id
), behind AS (
    SELECT c.id, c.municipality_id, c.number, c.status, d.instalments,
           d.due_total, coalesce(pd.total, 0) AS paid_total, pd.last_paid_on
      FROM due d
      JOIN lease_contract c ON c.id = d.contract_id
      LEFT JOIN paid pd ON pd.contract_id = d.contract_id
     WHERE c.archived_at IS NULL AND {in_municipality("c.municipality_id")}
       AND {behind("d.due_total", "coalesce(pd.total, 0)")}
)
SELECT 'contract:' || b.id AS fingerprint, b.municipality_id, NULL::int AS parcel_id,
       b.id AS contract_id, NULL::int AS building_id,
       jsonb_build_object('contract', b.number, 'contract_status', b.status,
                          'as_of', {AS_OF},
                          'due_before', {_DUE_BEFORE},
                          'instalments_due', b.instalments, 'due_total', b.due_total,
                          'paid_total', b.paid_total,
                          'owed', b.due_total - b.paid_total,
                          'oldest_unpaid_due', o.due_date,
                          'last_paid_on', b.last_paid_on,
                          'min_amount', CAST(:min_amount AS numeric)) AS evidence
  FROM behind b
 -- Payments settle the oldest instalments first: the oldest unpaid one is the first
 -- whose running total exceeds what was paid.
 CROSS JOIN LATERAL (
       SELECT min(r.due_date) AS due_date
         FROM (SELECT s.due_date,
                      sum(s.amount) OVER (ORDER BY s.due_date) AS running
                 FROM scheduled_payment s
                WHERE s.contract_id = b.id AND {INSTALMENT_OWED}) r
        WHERE r.running > b.paid_total) o
""")

RULE = Rule(
    code="arrears",
    label=N_("Payment arrears"),
    severity=Severity.CRITICAL,
    object_kind="contract",
    finds="instalments due more than {ANOMALY_ARREARS_GRACE_DAYS} days ago exceed payments by "
    "more than {ANOMALY_ARREARS_MIN_AMOUNT:,} som",
    message=Sentence.of(
        N_(
            "Contract %(contract)s is %(owed)s som behind: %(due)s som due in %(count)s "
            "instalments before %(before)s, %(paid)s som paid; unpaid since the instalment "
            "due %(oldest)s (last payment: %(last)s)."
        ),
        owed=number("owed"),
        due=number("due_total"),
        count=number("instalments_due"),
        before="due_before",
        paid=number("paid_total"),
        oldest="oldest_unpaid_due",
        last=Field("last_paid_on", missing=N_("none")),
    ),
    select=QUERY,
    settings={
        "grace_days": "ANOMALY_ARREARS_GRACE_DAYS",
        "min_amount": "ANOMALY_ARREARS_MIN_AMOUNT",
    },
    volatile=("as_of", "due_before"),
    weight=16,
)
