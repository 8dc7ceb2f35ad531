"""Inspections (текшерүү / обследование) of parcels and buildings, with their photos."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base, Timestamps, Versioned, point
from inventory.models.property import Building, Parcel
from inventory.models.reference import LandUse


class Inspection(Versioned, Base):
    """What an inspector saw on a parcel or in a building on a date."""

    __tablename__ = "inspection"
    __table_args__ = (
        sa.CheckConstraint("num_nonnulls(parcel_id, building_id) >= 1", name="has_object"),
        sa.Index("ix_inspection_parcel_date", "parcel_id", "inspected_on"),
        # One inspector's visit to one object on one day is one inspection (re-imports).
        sa.Index(
            "uq_inspection_natural_key",
            sa.text("coalesce(parcel_id, 0)"),
            sa.text("coalesce(building_id, 0)"),
            "inspected_on",
            "inspector",
            unique=True,
        ),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"), index=True)
    parcel_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("parcel.id"))
    building_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("building.id"), index=True)
    inspected_on: so.Mapped[dt.date]
    inspector: so.Mapped[str] = so.mapped_column(sa.String(200))
    observed_use_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("land_use.id"))
    occupied: so.Mapped[bool] = so.mapped_column(server_default=sa.false())
    note: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: Where the inspector stood, when the phone gave a position.
    position = so.mapped_column(point(), nullable=True)

    parcel: so.Mapped[Parcel | None] = so.relationship()
    building: so.Mapped[Building | None] = so.relationship()
    observed_use: so.Mapped[LandUse | None] = so.relationship()
    photos: so.Mapped[list[InspectionPhoto]] = so.relationship(
        back_populates="inspection", cascade="all, delete-orphan"
    )


class InspectionPhoto(Timestamps, Base):
    """A photo stored on disk under UPLOAD_DIR; the database keeps where and what it is."""

    __tablename__ = "inspection_photo"
    __table_args__ = (
        sa.CheckConstraint("size_bytes > 0", name="size_positive"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    inspection_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    #: Path relative to UPLOAD_DIR, never absolute, so the folder can move with backups.
    stored_path: so.Mapped[str] = so.mapped_column(sa.String(400), unique=True)
    original_name: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    content_type: so.Mapped[str] = so.mapped_column(sa.String(100))
    size_bytes: so.Mapped[int]
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    taken_at: so.Mapped[dt.datetime | None]
    position = so.mapped_column(point(), nullable=True)

    inspection: so.Mapped[Inspection] = so.relationship(back_populates="photos")
