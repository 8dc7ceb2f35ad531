"""Other names of reference values: the forms offices write a code in ("ИЖС", "свободен",
"ОсОО") beside the names the reference tables and labels already give."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base


class ReferenceSynonym(Base):
    """One more way of writing a value of a domain (a land use, a contract status, ...).

    `normal` is the form compared (inventory.services.reference_names.normal): two
    synonyms that differ only in case, punctuation, quotes or ё/е are one synonym.
    """

    __tablename__ = "reference_synonym"
    __table_args__ = (sa.UniqueConstraint("domain", "normal", name="uq_reference_synonym_normal"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The kind of value: land_use, land_category, parcel_status, lessee_kind, ...
    domain: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: The code it stands for (a reference table's code or a choice's value).
    code: so.Mapped[str] = so.mapped_column(sa.String(40))
    synonym: so.Mapped[str] = so.mapped_column(sa.String(200))
    normal: so.Mapped[str] = so.mapped_column(sa.String(200))
    created_by: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
