"""Municipalities and what belongs to each as a whole: zones, base rates, protected layers."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base, Timestamps, enum_column, multipolygon, valid_geometry_check


class Municipality(Timestamps, Base):
    """A city or town whose property office keeps its own inventory."""

    __tablename__ = "municipality"
    __table_args__ = (
        sa.CheckConstraint("slug ~ '^[a-z0-9][a-z0-9-]*$'", name="slug_format"),
        sa.CheckConstraint("measure_srid BETWEEN 7692 AND 7696", name="measure_srid_kyrg06"),
        valid_geometry_check("boundary"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    name_ky: so.Mapped[str] = so.mapped_column(sa.String(120))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(120))
    name_en: so.Mapped[str] = so.mapped_column(sa.String(120))
    boundary = so.mapped_column(multipolygon(), nullable=True)
    #: The Kyrg-06 zone used for this municipality's maps (areas use each parcel's own).
    measure_srid: so.Mapped[int] = so.mapped_column(server_default="7693")
    #: Regular expression that valid identification codes of this municipality match.
    code_pattern: so.Mapped[str] = so.mapped_column(sa.String(200), server_default=r"^\d+(-\d+)+$")

    def name(self, language: str) -> str:
        return getattr(self, f"name_{language}", None) or self.name_ru


class EconomicZone(Timestamps, Base):
    """An economic-planning zone with its rent coefficient Kz, valid for a period."""

    __tablename__ = "economic_zone"
    __table_args__ = (
        sa.CheckConstraint("kz > 0", name="kz_positive"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_period"),
        sa.UniqueConstraint(
            "municipality_id", "code", "valid_from", name="uq_economic_zone_code_period"
        ),
        valid_geometry_check("geom"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    code: so.Mapped[str] = so.mapped_column(sa.String(20))
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    kz: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(6, 3))
    valid_from: so.Mapped[dt.date]
    valid_to: so.Mapped[dt.date | None]
    is_demo: so.Mapped[bool] = so.mapped_column(server_default=sa.true())
    geom = so.mapped_column(multipolygon(), nullable=False)

    municipality: so.Mapped[Municipality] = so.relationship()


class BaseRate(Timestamps, Base):
    """The base annual rent in som per m² for a land category in a municipality."""

    __tablename__ = "base_rate"
    __table_args__ = (
        sa.CheckConstraint("rate > 0", name="rate_positive"),
        sa.UniqueConstraint(
            "municipality_id", "land_category_id", "valid_from", name="uq_base_rate_period"
        ),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    land_category_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("land_category.id"))
    rate: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(12, 2))
    valid_from: so.Mapped[dt.date]
    is_demo: so.Mapped[bool] = so.mapped_column(server_default=sa.true())


class ProtectedKind(enum.StrEnum):
    GREEN_ZONE = "green_zone"
    WATER_PROTECTION = "water_protection"
    RED_LINE = "red_line"


class ProtectedArea(Timestamps, Base):
    """A protected layer: parks and green zones, water protection strips, street red lines."""

    __tablename__ = "protected_area"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "kind", "name", name="uq_protected_area_name"),
        valid_geometry_check("geom"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[ProtectedKind] = so.mapped_column(enum_column(ProtectedKind, "protected_kind"))
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    geom = so.mapped_column(multipolygon(), nullable=False)
