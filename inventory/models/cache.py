"""What the app keeps only to answer faster: it can always be made again from the rest."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so
from geoalchemy2 import Geometry

from inventory.models.base import SRID, Base


class TileCache(Base):
    """A vector tile of the public map as the app made it (inventory.services.public.tile_cache).

    Database triggers (migration 0009) delete it when a record that can change it is
    written: a parcel, building, contract, contract object or lessee whose outline
    touches `area`, the lon/lat box of the tile and its clipping buffer.
    """

    __tablename__ = "tile_cache"
    __table_args__ = (sa.Index("ix_tile_cache_area", "area", postgresql_using="gist"),)
    layer: so.Mapped[str] = so.mapped_column(sa.String(16), primary_key=True)
    z: so.Mapped[int] = so.mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    x: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    y: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    #: The MVT bytes; empty for a tile with nothing on it.
    data: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    etag: so.Mapped[str] = so.mapped_column(sa.String(64))
    area = so.mapped_column(Geometry("POLYGON", srid=SRID, spatial_index=False), nullable=False)
    #: Order of storing: the oldest tiles go first when the cache is full.
    stored: so.Mapped[int] = so.mapped_column(
        sa.BigInteger,
        sa.Sequence("tile_cache_stored_seq"),
        index=True,
        server_default=sa.text("nextval('tile_cache_stored_seq')"),
    )


class AddressWord(Base):
    """A word with a letter found in some parcel's address, for correcting a misspelt
    street in the public search (inventory.services.public.search). Added by a database trigger
    (migration 0011) when a parcel is inserted or its address changes; never removed."""

    __tablename__ = "address_word"
    __table_args__ = (
        sa.Index(
            "ix_address_word_trgm",
            "word",
            postgresql_using="gin",
            postgresql_ops={"word": "gin_trgm_ops"},
        ),
    )
    word: so.Mapped[str] = so.mapped_column(sa.Text, primary_key=True)


class ParcelCurrentLease(Base):
    """The contract a resident sees on a parcel: its active, unarchived contract that
    started last (inventory.services.public.model.ACTIVE_CONTRACT_LATERAL picks the same).
    Kept by database triggers on lease_contract and contract_object (migration 0024), so
    the vector tiles join it by key instead of looking the lease up per parcel."""

    __tablename__ = "parcel_current_lease"
    # A parcel tile reads each parcel's contract from the index alone (migration 0028).
    __table_args__ = (
        sa.Index(
            "ix_parcel_current_lease_parcel_contract",
            "parcel_id",
            postgresql_include=["contract_id"],
        ),
    )
    parcel_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("parcel.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    contract_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("lease_contract.id", ondelete="CASCADE"), index=True
    )


class ParcelOverview(Base):
    """What the overview tiles (zooms 10-13) draw of a visible parcel, made once instead
    of on each request: its Web Mercator box (GiST-indexed, for picking one parcel per
    cell of a tile's grid) and its outline simplified at one z13 tile unit (its box grown
    by one unit when narrower than two), with the fields a tile shows. Kept by statement
    triggers on parcel (migrations 0025, 0026); an archived parcel or one without
    geometry has no row."""

    __tablename__ = "parcel_overview"
    __table_args__ = (sa.Index("ix_parcel_overview_box", "box", postgresql_using="gist"),)
    # No foreign key: only parcel's triggers write these rows, and they also remove a
    # deleted parcel's row (migration 0026); a key checked row by row cost every import.
    parcel_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    municipality_id: so.Mapped[int]
    status: so.Mapped[str] = so.mapped_column(sa.String(32))
    designated_use_id: so.Mapped[int | None]
    box = so.mapped_column(Geometry("POLYGON", srid=3857, spatial_index=False), nullable=False)
    shape = so.mapped_column(Geometry("GEOMETRY", srid=3857, spatial_index=False), nullable=False)
