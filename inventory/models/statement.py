"""Lines of bank and treasury statements: each imported once, matched to a contract or
kept until an officer assigns it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base


class StatementLine(Base):
    """One line of an imported statement (банковская выписка / казначейская выписка).

    `line_key` identifies the line across imports (its document number, or a hash of its
    date, amount, payer and purpose), so importing the same statement again adds nothing.
    `payment_id` is the payment it became, matched at import or assigned by hand; a line
    without one is still to assign.
    """

    __tablename__ = "statement_line"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "line_key", name="uq_statement_line_key"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.Index(
            "ix_statement_line_to_assign",
            "municipality_id",
            postgresql_where=sa.text("payment_id IS NULL"),
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE")
    )
    line_key: so.Mapped[str] = so.mapped_column(sa.String(120))
    paid_on: so.Mapped[dt.date]
    amount: so.Mapped[Decimal]
    payer: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    payer_inn: so.Mapped[str | None] = so.mapped_column(sa.String(14))
    purpose: so.Mapped[str | None] = so.mapped_column(sa.Text)
    document: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    source: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    imported_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
    payment_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("payment.id", ondelete="SET NULL"), index=True
    )
    assigned_at: so.Mapped[dt.datetime | None]
    assigned_by: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
