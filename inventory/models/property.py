"""The property itself: land parcels and buildings or premises."""

from __future__ import annotations

import enum
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so
from geoalchemy2 import Geometry

from inventory.models.base import (
    SRID,
    Area,
    Base,
    Versioned,
    enum_column,
    multipolygon,
    valid_geometry_check,
)
from inventory.models.municipality import Municipality
from inventory.models.reference import LandCategory, LandUse


class ParcelStatus(enum.StrEnum):
    FREE = "free"  # free and offered for lease
    LEASED = "leased"
    MUNICIPAL_USE = "municipal_use"  # used by a municipal institution
    RESERVED = "reserved"
    DISPUTED = "disputed"


class Parcel(Versioned, Base):
    """A municipal land parcel (жер тилкеси / земельный участок).

    `geom` is always a valid MultiPolygon in EPSG:4326 or NULL. A geometry that arrived
    invalid is kept aside in `geom_rejected` until an officer repairs it, so the register
    entry from the papers is never lost. `measured_area` is set by the database from
    `geom` in the parcel's Kyrg-06 zone; nobody writes it by hand.
    """

    __tablename__ = "parcel"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "ident_code", name="uq_parcel_ident_code"),
        sa.CheckConstraint(
            "documented_area IS NULL OR documented_area > 0", name="documented_area_positive"
        ),
        valid_geometry_check("geom"),
        sa.Index(
            "ix_parcel_ident_code_trgm",
            "ident_code",
            postgresql_using="gin",
            postgresql_ops={"ident_code": "gin_trgm_ops"},
        ),
        sa.Index(
            "ix_parcel_address_trgm",
            "address",
            postgresql_using="gin",
            postgresql_ops={"address": "gin_trgm_ops"},
        ),
        sa.Index("ix_parcel_ident_code_key", "municipality_id", "ident_code_key"),
        # The public search (migration 0005): a code's first or last groups, and the
        # words of an address, without reading trigram lists shared by most parcels.
        sa.Index(
            "ix_parcel_ident_code_pattern",
            "ident_code",
            postgresql_ops={"ident_code": "text_pattern_ops"},
        ),
        sa.Index("ix_parcel_ident_code_reverse", sa.text("reverse(ident_code) text_pattern_ops")),
        sa.Index(
            "ix_parcel_address_words",
            sa.text("to_tsvector('simple', coalesce(address, ''))"),
            postgresql_using="gin",
        ),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # Indexed as the leading column of uq_parcel_ident_code (municipality_id, ident_code).
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"))
    ident_code: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: Kept by the database from ident_code (migration 0004): the code without spaces
    #: or leading zeros in its groups of digits, what the duplicate-code check compares.
    ident_code_key: so.Mapped[str | None] = so.mapped_column(
        sa.String(40),
        sa.Computed(
            r"regexp_replace(regexp_replace(ident_code, '\s+', '', 'g'), "
            r"'(^|\D)0+(\d)', '\1\2', 'g')",
            persisted=True,
        ),
    )
    address: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    land_category_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("land_category.id"))
    designated_use_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("land_use.id"), index=True
    )
    status: so.Mapped[ParcelStatus] = so.mapped_column(
        enum_column(ParcelStatus, "parcel_status"),
        server_default=ParcelStatus.FREE.value,
        index=True,
    )
    documented_area: so.Mapped[Decimal | None] = so.mapped_column(Area)
    measured_area: so.Mapped[Decimal | None] = so.mapped_column(Area)
    geom = so.mapped_column(multipolygon(), nullable=True)
    geom_rejected = so.mapped_column(Geometry(srid=SRID, spatial_index=False), nullable=True)
    geom_problem: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    #: Kept by the database from geom (migration 0004): a point on the parcel's surface,
    #: where the anomaly scan looks up the economic zone and the Kyrg-06 zone.
    surface_point = so.mapped_column(
        Geometry("POINT", srid=SRID, spatial_index=True),
        sa.Computed("ST_PointOnSurface(geom)", persisted=True),
        nullable=True,
    )
    note: so.Mapped[str | None] = so.mapped_column(sa.Text)

    municipality: so.Mapped[Municipality] = so.relationship()
    land_category: so.Mapped[LandCategory | None] = so.relationship()
    designated_use: so.Mapped[LandUse | None] = so.relationship()
    buildings: so.Mapped[list[Building]] = so.relationship(back_populates="parcel")


class BuildingKind(enum.StrEnum):
    BUILDING = "building"
    PREMISE = "premise"


class Building(Versioned, Base):
    """A building (имарат / здание) or a premise inside one (жай / помещение)."""

    __tablename__ = "building"
    __table_args__ = (
        sa.UniqueConstraint(
            "municipality_id", "inventory_number", name="uq_building_inventory_number"
        ),
        sa.CheckConstraint("floor_area IS NULL OR floor_area > 0", name="floor_area_positive"),
        sa.CheckConstraint("floors IS NULL OR floors BETWEEN 1 AND 200", name="floors_range"),
        valid_geometry_check("geom"),
        sa.Index(
            "ix_building_address_trgm",
            "address",
            postgresql_using="gin",
            postgresql_ops={"address": "gin_trgm_ops"},
        ),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"), index=True)
    inventory_number: so.Mapped[str] = so.mapped_column(sa.String(40))
    parcel_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("parcel.id", ondelete="SET NULL"), index=True
    )
    parent_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("building.id", ondelete="SET NULL")
    )
    kind: so.Mapped[BuildingKind] = so.mapped_column(
        enum_column(BuildingKind, "building_kind"), server_default=BuildingKind.BUILDING.value
    )
    name: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    address: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    floor_area: so.Mapped[Decimal | None] = so.mapped_column(Area)
    floors: so.Mapped[int | None]
    year_built: so.Mapped[int | None]
    geom = so.mapped_column(multipolygon(), nullable=True)

    municipality: so.Mapped[Municipality] = so.relationship()
    parcel: so.Mapped[Parcel | None] = so.relationship(back_populates="buildings")
