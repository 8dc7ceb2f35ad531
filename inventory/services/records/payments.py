"""Payments (төлөм / платёж) received against a contract.

A payment belongs to the municipality of its contract; it has no municipality of its own.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import LeaseContract, Payment
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor
from inventory.services.records import fields, search
from inventory.services.records.common import Kind, iso, like_any, number


class Payments(Kind):
    model = Payment
    table = "payment"
    spec = {
        "contract_id": fields.integer(1),
        "paid_on": fields.date(required=True),
        "amount": fields.decimal(required=True),
        "reference": fields.text(120),
    }
    required = ("contract_id", "paid_on", "amount")
    has_municipality = False

    def select(self) -> sa.Select:
        return sa.select(Payment).join(Payment.contract)

    def scope(self, query: sa.Select, municipality_ids) -> sa.Select:
        return query.where(LeaseContract.municipality_id.in_(municipality_ids))

    def search(self, q: str):
        return sa.or_(
            like_any(q, Payment.reference), Payment.contract_id.in_(search.contracts_matching(q))
        )

    def municipality_of(self, session: so.Session, obj: Payment) -> int:
        contract = session.get(LeaseContract, obj.contract_id)
        if contract is None:
            raise ValidationError("no such contract", field="contract_id")
        return contract.municipality_id

    def prepare(
        self, session: so.Session, actor: Actor, obj: Payment, data, creating: bool
    ) -> list[dict[str, Any]]:
        if not creating and "contract_id" in data:
            raise ValidationError(
                "a payment cannot move to another contract; archive it and record a new one",
                field="contract_id",
            )
        return []

    def to_json(self, session: so.Session, p: Payment) -> dict[str, Any]:
        return {
            "id": p.id,
            "contract_id": p.contract_id,
            "contract_number": p.contract.number,
            "municipality": p.contract.municipality.slug,
            "paid_on": iso(p.paid_on),
            "amount": number(p.amount),
            "reference": p.reference,
            "version": p.version,
            "created_at": iso(p.created_at),
            "updated_at": iso(p.updated_at),
            "archived_at": iso(p.archived_at),
        }


kind = Payments()
