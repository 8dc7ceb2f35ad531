"""Reference tables an administrator edits: land categories, uses (with Kf), compatibility."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base


class NamedInThreeLanguages:
    code: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    name_ky: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_en: so.Mapped[str] = so.mapped_column(sa.String(200))

    def name(self, language: str) -> str:
        return getattr(self, f"name_{language}", None) or self.name_ru


class LandCategory(NamedInThreeLanguages, Base):
    """A land category of the Land Code (settlements, agricultural, ...)."""

    __tablename__ = "land_category"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)


class LandUse(NamedInThreeLanguages, Base):
    """A designated, contracted or observed use, with its rent coefficient Kf."""

    __tablename__ = "land_use"
    __table_args__ = (sa.CheckConstraint("kf > 0", name="kf_positive"),)
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kf: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(6, 3))
    is_commercial: so.Mapped[bool] = so.mapped_column(server_default=sa.false())
    #: True while the coefficient is a demo value, not one adopted by a council.
    is_demo: so.Mapped[bool] = so.mapped_column(server_default=sa.true())


class UseCompatibility(Base):
    """An observed use that is allowed on a designated (or contracted) use."""

    __tablename__ = "use_compatibility"
    designated_use_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("land_use.id", ondelete="CASCADE"), primary_key=True
    )
    allowed_use_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("land_use.id", ondelete="CASCADE"), primary_key=True
    )
