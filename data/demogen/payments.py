"""Payment schedules and the payments lessees made.

The schedule follows data/README.md: one instalment for every calendar month whose 10th
falls within the term (up to the termination date of a terminated contract), due on that
10th, of the monthly rent (a yearly rent / 12, rounded to the tiyin). Clean lessees pay
every instalment due up to as_of in full, on the due date or a few days before it: each
month, or a quarter or a year ahead (scale runs). Money is counted in whole tiyin.
"""

from __future__ import annotations

import datetime as dt
import random

DUE_DAY = 10
OVERDUE = dt.timedelta(days=30)
_GROUP = {"monthly": 1, "quarterly": 3, "yearly": 12}


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def due_date(month: int) -> dt.date:
    return dt.date(month // 12, month % 12 + 1, DUE_DAY)


def months(contract) -> range:
    """Month indices of the contract's instalments (none for a draft)."""
    if contract.status == "draft":
        return range(0)
    start, end = contract.start, contract.effective_end
    first = month_index(start) + (1 if start.day > DUE_DAY else 0)
    last = month_index(end) - (1 if end.day < DUE_DAY else 0)
    return range(first, last + 1)


def instalment_cents(contract) -> int:
    """The monthly instalment in tiyin (a yearly rent / 12, half up)."""
    if contract.period == "month":
        return contract.rent * 100
    whole, rest = divmod(contract.rent * 100, 12)
    return whole + (1 if 2 * rest >= 12 else 0)


def due_dates(contract) -> list[dt.date]:
    return [due_date(m) for m in months(contract)]


def paid_of(contract, due: dt.date, cents: int) -> int:
    """What the lessee pays of the instalment due on `due`."""
    if contract.unpaid_from is not None and due >= contract.unpaid_from:
        return round(cents * contract.paid_share)
    return cents


def shortfall(contract, as_of: dt.date) -> int:
    """Tiyin owed for instalments due more than 30 days before as_of."""
    cents = instalment_cents(contract)
    return sum(
        cents - paid_of(contract, d, cents) for d in due_dates(contract) if d < as_of - OVERDUE
    )


def rows(contract, as_of: dt.date, rng: random.Random, counter: list[int]) -> list[tuple]:
    """(paid_on, tiyin, reference) of every payment on the contract up to as_of.
    `counter` holds the municipality's last payment order number."""
    span = months(contract)
    if not span:
        return []
    cents = instalment_cents(contract)
    # A lessee in arrears pays (or not) month by month.
    step = _GROUP[contract.plan] if contract.unpaid_from is None else 1
    last = min(span[-1], month_index(as_of) - (1 if as_of.day < DUE_DAY else 0))
    out = []
    for first in range(span[0], last + 1, step):
        due = due_date(first)
        size = min(step, span[-1] + 1 - first)
        if contract.unpaid_from is None:
            amount = cents * size
        else:
            amount = paid_of(contract, due, cents)
        if amount <= 0:
            continue
        paid_on = max(contract.start, due - dt.timedelta(days=rng.randrange(0, 6)))
        counter[0] += rng.randrange(1, 40)
        out.append((paid_on, amount, f"п/п {counter[0]:07d}"))
    return out
