"""The change history: every insert, update and delete of every audited record.

Rows are written by database triggers (see migrations), not by Python, so bulk SQL,
imports and the CLI are recorded exactly like edits in the UI. Who made a change comes
from the transaction setting `inventory.user_id` (see inventory.services.audit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects.postgresql import JSONB

from inventory.models.base import Base

#: Tables whose every change the triggers record.
AUDITED_TABLES = (
    "municipality",
    "economic_zone",
    "base_rate",
    "protected_area",
    "land_category",
    "land_use",
    "parcel",
    "building",
    "lessee",
    "lease_contract",
    "contract_object",
    "payment",
    "inspection",
    "inspection_photo",
    "anomaly_flag",
    "citizen_report",
    "app_user",
    "auction_lot",
    "auction_result",
)


class ChangeRecord(Base):
    __tablename__ = "change_record"
    __table_args__ = (
        sa.Index("ix_change_record_record", "table_name", "record_id", "id"),
        sa.CheckConstraint("action IN ('insert', 'update', 'delete')", name="action_kind"),
    )
    id: so.Mapped[int] = so.mapped_column(sa.BigInteger, primary_key=True)
    table_name: so.Mapped[str] = so.mapped_column(sa.String(60))
    record_id: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    action: so.Mapped[str] = so.mapped_column(sa.String(10))
    changed_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
    changed_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    #: Where the change came from: ui, api, import, cli, system.
    source: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    transaction_id: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    before: so.Mapped[dict[str, Any] | None] = so.mapped_column(JSONB)
    after: so.Mapped[dict[str, Any] | None] = so.mapped_column(JSONB)
