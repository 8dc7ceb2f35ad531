"""Payment schedules: what a lessee owes and when, derived from rent and term.

One instalment for every calendar month whose 10th falls within the term (up to the
termination date for a terminated contract), due on that 10th, of the monthly rent (a
yearly rent divided by twelve, rounded to 0.01 som). Drafts owe nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlalchemy.orm as so

DUE_DAY = 10

# Two statements: a DELETE in a CTE is invisible to the INSERT of the same statement.
_DELETE = "DELETE FROM scheduled_payment WHERE contract_id = ANY(CAST(:ids AS int[]))"
_REBUILD = f"""
    WITH target AS (SELECT unnest(CAST(:ids AS int[])) AS id)
    INSERT INTO scheduled_payment (contract_id, due_date, amount)
    SELECT c.id, due.due_date,
           round(CASE WHEN c.rent_period = 'month' THEN c.rent_amount
                      ELSE c.rent_amount / 12 END, 2)
      FROM lease_contract c
      JOIN target t ON t.id = c.id
      CROSS JOIN LATERAL (
          SELECT (m + interval '{DUE_DAY - 1} days')::date AS due_date
            FROM generate_series(date_trunc('month', c.start_date),
                                 date_trunc('month', LEAST(c.end_date, c.terminated_on)),
                                 interval '1 month') AS m
      ) due
     WHERE c.status <> 'draft'
       AND due.due_date BETWEEN c.start_date AND LEAST(c.end_date, c.terminated_on)
"""


def rebuild(session: so.Session, contract_ids: Sequence[int]) -> None:
    """Replace the schedules of these contracts by the ones their rent and term give."""
    if contract_ids:
        session.execute(sa.text(_DELETE), {"ids": list(contract_ids)})
        session.execute(sa.text(_REBUILD), {"ids": list(contract_ids)})
