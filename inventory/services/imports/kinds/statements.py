"""Imports of bank and treasury statements: payments found by what the line says.

Each line (date, amount, payer, ИНН, purpose, document number) is matched to a contract
by the number in its purpose text, else by the payer's ИНН (statement_matching). A
matched line becomes a payment whose reference is the statement's document number, or a
hash of the line when it has none; a line nothing matches is kept, to be assigned by an
officer on the office's Statements page. Every line is remembered under its key, so
importing the same statement again adds neither a payment nor a line.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from inventory import models as m
from inventory.services.imports import values as v
from inventory.services.imports.base import Context, Field, Kind, Row
from inventory.services.imports.kinds.places import MUNICIPALITY
from inventory.services.imports.kinds.statement_matching import ContractFinder
from inventory.services.imports.staging import stage

FIELDS = (
    MUNICIPALITY,
    Field(
        "paid_on",
        v.parse_date,
        required=True,
        synonyms=(
            "дата",
            "дата платежа",
            "дата операции",
            "дата проводки",
            "дата поступления",
            "дата документа",
            "күнү",
            "төлөм күнү",
        ),
    ),
    Field(
        "amount",
        v.parse_positive_decimal,
        required=True,
        synonyms=(
            "сумма",
            "сумма, сом",
            "сумма платежа",
            "сумма (сом)",
            "кредит",
            "поступление",
            "суммасы",
            "сумма, сом (кредит)",
        ),
    ),
    Field(
        "payer",
        v.text,
        synonyms=(
            "плательщик",
            "наименование плательщика",
            "плательщик (наименование)",
            "отправитель",
            "төлөөчү",
            "төлөөчүнүн аталышы",
        ),
    ),
    Field(
        "payer_inn",
        v.parse_inn,
        synonyms=("инн", "инн плательщика", "инн/пин плательщика", "төлөөчүнүн инн"),
    ),
    Field(
        "purpose",
        v.text,
        synonyms=(
            "назначение платежа",
            "назначение",
            "основание платежа",
            "содержание операции",
            "төлөмдүн максаты",
            "төлөмдүн дайындалышы",
        ),
    ),
    Field(
        "document",
        v.text,
        synonyms=(
            "№ документа",
            "номер документа",
            "№ док",
            "№ док.",
            "документ №",
            "номер п/п",
            "№ платежного поручения",
            "документтин номери",
        ),
    ),
)


def line_key(row: Row, occurrence: int) -> str:
    """A line's identity across imports: a hash of what it says, and which of the
    file's identical lines it is (two equal payments on one day are two payments)."""
    parts = [
        f"{row['paid_on']:%Y-%m-%d}",
        f"{row['amount']:.2f}",
        row["payer_inn"] or "",
        " ".join(str(row["payer"] or "").lower().split()),
        " ".join(str(row["purpose"] or "").lower().split()),
        row["document"] or "",
        str(occurrence),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class Statements(Kind):
    name = "statements"
    model = m.StatementLine
    fields = FIELDS

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        finder = ContractFinder(ctx.session)
        seen: dict[tuple, int] = {}
        unmatched = []
        for row in rows:
            place = row.ids["municipality"] = ctx.municipality_id(row)
            row.ids["contract"] = None
            if place is None or row["paid_on"] is None or row["amount"] is None:
                continue
            key = line_key(row, 0)
            seen[(place, key)] = occurrence = seen.get((place, key), -1) + 1
            row.ids["key"] = line_key(row, occurrence)
            # A payment's reference: the document number, else the line's own key.
            row.ids["reference"] = row["document"] or f"#{row.ids['key'][:16]}"
            row.ids["contract"] = finder.find(place, row["purpose"], row["payer_inn"])
            if row.ids["contract"] is None:
                unmatched.append(row)
        if unmatched:
            ctx.problem(
                unmatched[0].number,
                "purpose",
                "no contract found by the number in the purpose or the payer's ИНН; kept "
                "for an officer to assign on the page Statement lines to assign (rows "
                "%(rows)s)",
                "warning",
                rows=", ".join(str(r.number) for r in unmatched),
            )

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        s = ctx.session
        stage(
            s,
            "stage_statement_line",
            [
                ("municipality_id", "int"),
                ("line_key", "text"),
                ("paid_on", "date"),
                ("amount", "numeric"),
                ("payer", "text"),
                ("payer_inn", "text"),
                ("purpose", "text"),
                ("document", "text"),
                ("contract_id", "int"),
                ("reference", "text"),
            ],
            (
                (
                    r.ids["municipality"],
                    r.ids["key"],
                    r["paid_on"],
                    r["amount"],
                    r["payer"],
                    r["payer_inn"],
                    r["purpose"],
                    r["document"],
                    r.ids["contract"],
                    r.ids["reference"],
                )
                for r in rows
            ),
        )
        s.execute(
            sa.text("""
            INSERT INTO payment (contract_id, paid_on, amount, reference)
            SELECT DISTINCT contract_id, paid_on, amount, reference
              FROM stage_statement_line WHERE contract_id IS NOT NULL
            ON CONFLICT (contract_id, paid_on, amount, coalesce(reference, '')) DO NOTHING""")
        )
        # A line seen before without a contract gets its payment once one matches it;
        # any other line seen before is left as it is.
        result = s.execute(
            sa.text("""
            INSERT INTO statement_line AS t (municipality_id, line_key, paid_on, amount, payer,
                   payer_inn, purpose, document, source, payment_id)
            SELECT st.municipality_id, st.line_key, st.paid_on, st.amount, st.payer,
                   st.payer_inn, st.purpose, st.document, :source, p.id
              FROM stage_statement_line st
              LEFT JOIN payment p ON p.contract_id = st.contract_id AND p.paid_on = st.paid_on
                                 AND p.amount = st.amount
                                 AND coalesce(p.reference, '') = st.reference
            ON CONFLICT (municipality_id, line_key) DO UPDATE SET payment_id = EXCLUDED.payment_id
             WHERE t.payment_id IS NULL AND EXCLUDED.payment_id IS NOT NULL
            RETURNING (xmax = 0)"""),
            {"source": ctx.report.source},
        )
        flags = [bool(r[0]) for r in result]
        created = sum(flags)
        return created, len(flags) - created, len(rows) - len(flags)
