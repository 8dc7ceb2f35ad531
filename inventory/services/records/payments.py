"""Payments (төлөм / платёж) received against a contract.

A payment belongs to the municipality of its contract; it has no municipality of its own.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from inventory.models import LeaseContract, Payment
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor
from inventory.services.records import search
from inventory.services.records.common import Kind, iso, like_any
from inventory.services.records.descriptor import Field, plain_json

FIELDS = (
    Field(
        "contract_id",
        _l("Contract"),
        "record",
        required=True,
        record="contracts",
        filter="contract_id",
        import_as="contract_number",
        import_label=_l("Contract number"),
        synonyms=("номер договора", "договор"),
    ),
    Field(
        "contract_number",
        _l("Contract"),
        "shown",
        listed=2,
        sort=LeaseContract.number,
        computed=True,
        importable=False,
    ),
    Field(
        "paid_on",
        _l("Paid on"),
        "date",
        required=True,
        listed=1,
        sort=Payment.paid_on,
        synonyms=("дата платежа", "дата оплаты", "төлөм күнү"),
    ),
    Field(
        "amount",
        _l("Amount, som"),
        "decimal",
        required=True,
        listed=3,
        sort=Payment.amount,
        synonyms=("сумма", "суммасы", "сумма платежа", "сумма, сом"),
    ),
    Field(
        "reference",
        _l("Reference"),
        max_length=120,
        listed=4,
        synonyms=("номер платёжного поручения", "документ"),
    ),
)


class Payments(Kind):
    model = Payment
    table = "payment"
    name = "payments"
    title = _l("Payments")
    one = _l("Payment")
    fields = FIELDS
    searched = "reference or contract number"
    newest_first = Payment.paid_on.desc()
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
            **plain_json(self.fields, p),
            "contract_number": p.contract.number,
            "municipality": p.contract.municipality.slug,
            "version": p.version,
            "created_at": iso(p.created_at),
            "updated_at": iso(p.updated_at),
            "archived_at": iso(p.archived_at),
        }


kind = Payments()
