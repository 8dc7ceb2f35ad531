"""Imports of payments listed against contract numbers (an office's own payment list);
bank and treasury statements, which name no contract, are imports.kinds.statements."""

from __future__ import annotations

import sqlalchemy as sa

from inventory import models as m
from inventory.services.imports.base import Context, Kind, Row
from inventory.services.imports.kinds.common import described_fields
from inventory.services.imports.kinds.places import MUNICIPALITY
from inventory.services.imports.staging import counts, stage


class Payments(Kind):
    name = "payments"
    model = m.Payment
    fields = (MUNICIPALITY, *described_fields("payments"))

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        contracts = {
            (m, n): i
            for i, m, n in ctx.session.execute(
                sa.text("SELECT id, municipality_id, number FROM lease_contract")
            )
        }
        for row in rows:
            municipality = ctx.municipality_id(row)
            row.ids["contract"] = None
            if row["contract_number"] is not None and municipality is not None:
                row.ids["contract"] = contracts.get((municipality, row["contract_number"]))
                if row.ids["contract"] is None:
                    ctx.problem(
                        row.number,
                        "contract_number",
                        "no contract '%(value)s'",
                        value=row["contract_number"],
                    )

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        stage(
            ctx.session,
            "stage_payment",
            [
                ("contract_id", "int"),
                ("paid_on", "date"),
                ("amount", "numeric"),
                ("reference", "text"),
            ],
            ((r.ids["contract"], r["paid_on"], r["amount"], r["reference"]) for r in rows),
        )
        result = ctx.session.execute(
            sa.text("""
            INSERT INTO payment (contract_id, paid_on, amount, reference)
            SELECT DISTINCT contract_id, paid_on, amount, reference FROM stage_payment
            ON CONFLICT (contract_id, paid_on, amount, coalesce(reference, '')) DO NOTHING
            RETURNING true""")
        )
        return counts(result, len(rows))
