"""What the import wizard remembers: each municipality's column and value mapping per kind."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects.postgresql import JSONB

from inventory.models.base import Base


class ImportMapping(Base):
    """The file headers an office last matched to each field of a kind of import, so
    the next register from the same office is mapped without asking again."""

    __tablename__ = "import_mapping"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "kind", name="uq_import_mapping_kind"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE")
    )
    kind: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: {field name: header in the file}
    columns: so.Mapped[dict[str, str]] = so.mapped_column(JSONB)
    #: {field name: {value as the file writes it: code}}, the officer's choices where the
    #: names and synonyms did not say it (or said it wrongly for this office).
    value_codes: so.Mapped[dict[str, dict[str, str]]] = so.mapped_column(
        JSONB, server_default=sa.text("'{}'::jsonb")
    )
    updated_at: so.Mapped[dt.datetime] = so.mapped_column(
        server_default=sa.func.now(), onupdate=sa.func.now()
    )
