"""Auctions of free municipal property (Government resolution №142 of 29.03.2019).

A free parcel or premise becomes a lot: its starting annual rent (the normative rent by
default), conditions, lease term, the e-auction's date and the platform's reference. The
auction is held on the national e-auction platform; the office records its outcome: the
winner, the final rent and the protocol, from which the lease contract follows (basis
'auction'), or that nobody bid.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Area, Base, Timestamps, Versioned, enum_column
from inventory.models.lease import LeaseContract, Lessee
from inventory.models.municipality import Municipality
from inventory.models.property import Building, Parcel
from inventory.models.reference import LandUse


class LotStatus(enum.StrEnum):
    ANNOUNCED = "announced"  # published, the auction is still to be held
    HELD = "held"  # held with a winner; the contract follows from it
    NO_BIDS = "no_bids"  # held, nobody bid
    CANCELLED = "cancelled"  # withdrawn before the auction


class AuctionLot(Versioned, Base):
    """A lot: the right to lease one free parcel or premise, offered at an e-auction."""

    __tablename__ = "auction_lot"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "number", name="uq_auction_lot_number"),
        sa.CheckConstraint("num_nonnulls(parcel_id, building_id) = 1", name="one_object"),
        sa.CheckConstraint("starting_rent > 0", name="starting_rent_positive"),
        sa.CheckConstraint("term_months BETWEEN 1 AND 600", name="term_range"),
        sa.CheckConstraint("leased_area IS NULL OR leased_area > 0", name="leased_area_positive"),
        # One open lot per object: a plot cannot be offered twice at the same time.
        sa.Index(
            "uq_auction_lot_open_parcel",
            "parcel_id",
            unique=True,
            postgresql_where=sa.text("status = 'announced' AND archived_at IS NULL"),
        ),
        sa.Index(
            "uq_auction_lot_open_building",
            "building_id",
            unique=True,
            postgresql_where=sa.text("status = 'announced' AND archived_at IS NULL"),
        ),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"), index=True)
    number: so.Mapped[str] = so.mapped_column(sa.String(60))
    parcel_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("parcel.id"), index=True)
    building_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("building.id"), index=True)
    #: The use the lease will be for (the parcel's designated use by default).
    use_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("land_use.id"))
    leased_area: so.Mapped[Decimal | None] = so.mapped_column(Area)
    #: Starting annual rent in som; the normative rent unless the officer sets another.
    starting_rent: so.Mapped[Decimal]
    term_months: so.Mapped[int]
    conditions: so.Mapped[str | None] = so.mapped_column(sa.Text)
    announced_on: so.Mapped[dt.date] = so.mapped_column(server_default=sa.func.current_date())
    auction_date: so.Mapped[dt.date] = so.mapped_column(index=True)
    #: The lot's number or address on the national e-auction platform.
    platform_ref: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    status: so.Mapped[LotStatus] = so.mapped_column(
        enum_column(LotStatus, "lot_status"),
        server_default=LotStatus.ANNOUNCED.value,
        index=True,
    )

    municipality: so.Mapped[Municipality] = so.relationship()
    parcel: so.Mapped[Parcel | None] = so.relationship()
    building: so.Mapped[Building | None] = so.relationship()
    use: so.Mapped[LandUse | None] = so.relationship()
    result: so.Mapped[AuctionResult | None] = so.relationship(back_populates="lot")


class AuctionResult(Timestamps, Base):
    """What the auction's protocol says: the winner and the final rent, or no bids."""

    __tablename__ = "auction_result"
    __table_args__ = (
        sa.CheckConstraint(
            "no_bids OR (winner_id IS NOT NULL AND final_rent IS NOT NULL)",
            name="winner_and_rent",
        ),
        sa.CheckConstraint("final_rent IS NULL OR final_rent > 0", name="final_rent_positive"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    lot_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("auction_lot.id", ondelete="CASCADE"), unique=True
    )
    no_bids: so.Mapped[bool] = so.mapped_column(server_default=sa.false())
    winner_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("lessee.id"), index=True)
    final_rent: so.Mapped[Decimal | None]
    bidders: so.Mapped[int | None]
    protocol_number: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    protocol_date: so.Mapped[dt.date | None]
    #: Where the protocol document is published (the platform's page or a file's URL).
    protocol_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    contract_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("lease_contract.id", ondelete="SET NULL"), unique=True
    )
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )

    lot: so.Mapped[AuctionLot] = so.relationship(back_populates="result")
    winner: so.Mapped[Lessee | None] = so.relationship()
    contract: so.Mapped[LeaseContract | None] = so.relationship()
