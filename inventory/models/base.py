"""The declarative base, shared column types and mixins of every model."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so
from geoalchemy2 import Geometry

#: Constraint names that Alembic and PostgreSQL agree on, so migrations can drop them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Every geometry is stored in WGS 84 lon/lat; areas are measured in Kyrg-06 by PostGIS.
SRID = 4326

Money = sa.Numeric(14, 2)
Area = sa.Numeric(14, 2)


def multipolygon() -> Geometry:
    return Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True)


def point() -> Geometry:
    return Geometry("POINT", srid=SRID, spatial_index=True)


def valid_geometry_check(column: str) -> sa.CheckConstraint:
    """The database refuses invalid polygons (self-intersections, bad rings)."""
    return sa.CheckConstraint(f"{column} IS NULL OR ST_IsValid({column})", name=f"{column}_valid")


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A VARCHAR with a CHECK listing the allowed values (easier to migrate than PG enums)."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        Decimal: Money,
        dt.datetime: sa.DateTime(timezone=True),
    }


class Timestamps:
    created_at: so.Mapped[dt.datetime] = so.mapped_column(server_default=sa.func.now())
    updated_at: so.Mapped[dt.datetime] = so.mapped_column(
        server_default=sa.func.now(), onupdate=sa.func.now()
    )


class Versioned(Timestamps):
    """Optimistic locking: every UPDATE checks and bumps `version`.

    A save based on a stale version raises sqlalchemy.orm.exc.StaleDataError, which the
    services turn into a conflict, so that nothing another officer saved is overwritten.
    `archived_at` hides a record from lists without deleting its history.
    """

    version: so.Mapped[int] = so.mapped_column(server_default="1")
    archived_at: so.Mapped[dt.datetime | None]

    @so.declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}
