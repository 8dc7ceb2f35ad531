"""A contract's payment statement: each instalment paid or not, the arrears, the norm.

Payments are applied to instalments oldest first (as the office books them): an
instalment is paid when the payments received cover it and every earlier one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Payment, ScheduledPayment
from inventory.services.records.money import arrears, rent_norm


def statement(
    session: so.Session, contract_id: int, today: dt.date | None = None
) -> dict[str, Any]:
    """{"instalments": [{due_date, amount, paid, overdue}], "paid", "arrears", "norm"}.

    The caller has checked that the actor may read the contract.
    """
    today = today or dt.date.today()
    received = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Payment.amount), 0)).where(
            Payment.contract_id == contract_id, Payment.archived_at.is_(None)
        )
    ) or Decimal(0)
    left = Decimal(received)
    instalments = []
    for due in session.scalars(
        sa.select(ScheduledPayment)
        .where(ScheduledPayment.contract_id == contract_id)
        .order_by(ScheduledPayment.due_date)
    ):
        paid = left >= due.amount
        left = left - due.amount if paid else Decimal(0)
        instalments.append(
            {
                "due_date": due.due_date,
                "amount": float(due.amount),
                "paid": paid,
                "overdue": not paid and due.due_date < today,
            }
        )
    return {
        "instalments": instalments,
        "received": float(received),
        "arrears": arrears(session, contract_id, today),
        "norm": rent_norm(session, contract_id, today),
    }
