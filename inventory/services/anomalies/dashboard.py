"""The auditors' dashboard of one year: rent expected against rent collected, arrears at
the year's end, and the flags by rule and status. PostgreSQL does every sum.

Definitions (so an auditor can quote them):
- expected: the scheduled instalments due within the year (calendar months, 1st to
  last day), of contracts not archived;
- collected: the payments received within the year on those contracts;
- arrears at year end: per contract, everything due up to 31 December minus everything
  paid up to that day, counted only where positive (an overpayment does not cancel
  another contract's debt);
- flags: the flags of the municipality (all years) by rule and by status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.anomalies.scope import municipality_id_of
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor, readable_municipality, require_read

_MONTHS = sa.text("""
WITH contracts AS (
    SELECT c.id FROM lease_contract c
     WHERE c.archived_at IS NULL
       AND (CAST(:municipality_id AS int) IS NULL
            OR c.municipality_id = CAST(:municipality_id AS int))
), months AS (SELECT generate_series(1, 12) AS month),
expected AS (
    SELECT extract(month FROM s.due_date)::int AS month, sum(s.amount) AS amount
      FROM scheduled_payment s JOIN contracts c ON c.id = s.contract_id
     WHERE s.due_date BETWEEN :first AND :last
     GROUP BY 1
), collected AS (
    SELECT extract(month FROM p.paid_on)::int AS month, sum(p.amount) AS amount
      FROM payment p JOIN contracts c ON c.id = p.contract_id
     WHERE p.paid_on BETWEEN :first AND :last AND p.archived_at IS NULL
     GROUP BY 1
)
SELECT m.month, coalesce(e.amount, 0) AS expected, coalesce(c.amount, 0) AS collected
  FROM months m
  LEFT JOIN expected e ON e.month = m.month
  LEFT JOIN collected c ON c.month = m.month
 ORDER BY m.month
""")

_ARREARS = sa.text("""
WITH contracts AS (
    SELECT c.id FROM lease_contract c
     WHERE c.archived_at IS NULL
       AND (CAST(:municipality_id AS int) IS NULL
            OR c.municipality_id = CAST(:municipality_id AS int))
), due AS (
    SELECT s.contract_id, sum(s.amount) AS amount FROM scheduled_payment s
      JOIN contracts c ON c.id = s.contract_id
     WHERE s.due_date <= :last GROUP BY s.contract_id
), paid AS (
    SELECT p.contract_id, sum(p.amount) AS amount FROM payment p
      JOIN contracts c ON c.id = p.contract_id
     WHERE p.paid_on <= :last AND p.archived_at IS NULL GROUP BY p.contract_id
)
SELECT coalesce(sum(d.amount - coalesce(p.amount, 0))
                FILTER (WHERE d.amount > coalesce(p.amount, 0)), 0) AS arrears,
       count(*) FILTER (WHERE d.amount > coalesce(p.amount, 0)) AS contracts
  FROM due d LEFT JOIN paid p ON p.contract_id = d.contract_id
""")

_FLAGS = sa.text("""
SELECT rule, status::text, count(*) FROM anomaly_flag
 WHERE CAST(:municipality_id AS int) IS NULL
    OR municipality_id = CAST(:municipality_id AS int)
 GROUP BY rule, status ORDER BY rule, status
""")


@dataclass
class Dashboard:
    """The figures of one year (money in som, Decimal)."""

    year: int
    municipality: str | None
    months: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)
    arrears: Decimal = Decimal(0)
    contracts_in_arrears: int = 0
    #: rule -> status -> count
    flags: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def expected(self) -> Decimal:
        return sum((m[1] for m in self.months), Decimal(0))

    @property
    def collected(self) -> Decimal:
        return sum((m[2] for m in self.months), Decimal(0))

    @property
    def collected_percent(self) -> Decimal | None:
        if not self.expected:
            return None
        return (100 * self.collected / self.expected).quantize(Decimal("0.1"))


def parse_year(raw: str | None, today: dt.date | None = None) -> int:
    """The year asked for (this year when empty); ValidationError when not 2000..2100."""
    if not raw:
        return (today or dt.date.today()).year
    if not raw.isdecimal() or not 2000 <= int(raw) <= 2100:
        raise ValidationError("expected a year from 2000 to 2100", field="year")
    return int(raw)


def build(
    session: so.Session, actor: Actor, *, year: int, municipality: str | None = None
) -> Dashboard:
    """The dashboard of `year` for one municipality or all the actor may read (an
    officer: their own only; Forbidden when asking for another)."""
    wanted = municipality_id_of(session, municipality)
    if wanted is not None:
        require_read(actor, wanted)
    confined = readable_municipality(actor)
    municipality_id = wanted if wanted is not None else confined
    params = {
        "municipality_id": municipality_id,
        "first": dt.date(year, 1, 1),
        "last": dt.date(year, 12, 31),
    }
    result = Dashboard(year=year, municipality=municipality)
    result.months = [(m, e, c) for m, e, c in session.execute(_MONTHS, params)]
    arrears, contracts = session.execute(_ARREARS, params).one()
    result.arrears, result.contracts_in_arrears = arrears, contracts
    for rule, status, n in session.execute(_FLAGS, params):
        result.flags.setdefault(rule, {})[status] = n
    return result
