"""Vector tiles kept in the database once made, so the public map's repeated requests
cost one index lookup instead of a spatial query.

A kept tile lives in `tile_cache` (migration 0009) until a write can change it: database
triggers on parcels, buildings, contracts, their objects and lessees delete the tiles
whose area the written records touch, whoever writes. The same migration explains the
two advisory locks that keep a tile made during a write from being stored after that
write's delete. The cache holds at most `limit` tiles; the oldest stored go first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.public import tiles

#: Advisory lock keys, as in migration 0009: held shared by writers to their end ...
WRITE_LOCK = 0x74696C77
#: ... and by a tile maker while it makes and stores one tile.
MAKE_LOCK = 0x74696C6D
#: After this many stored tiles, drop the ones past the limit (one delete per batch).
EVICT_EVERY = 500

_LOOKUP = sa.text(
    "SELECT data, etag FROM tile_cache WHERE layer = :layer AND z = :z AND x = :x AND y = :y"
)
# MAKE_LOCK shared first (a writer then waits for this maker), then a look at WRITE_LOCK
# without holding it: a maker must not keep makers out, only see a write in flight.
_MAY_STORE = sa.text(f"""
SELECT pg_try_advisory_xact_lock_shared({MAKE_LOCK})
   AND CASE WHEN pg_try_advisory_lock({WRITE_LOCK})
            THEN pg_advisory_unlock({WRITE_LOCK}) ELSE false END""")
_STORE = sa.text(f"""
INSERT INTO tile_cache (layer, z, x, y, data, etag, area)
VALUES (:layer, :z, :x, :y, :data, :etag,
        ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => {tiles.BUFFER / tiles.EXTENT}),
                     4326))
ON CONFLICT (layer, z, x, y) DO UPDATE
   SET data = EXCLUDED.data, etag = EXCLUDED.etag, area = EXCLUDED.area,
       stored = EXCLUDED.stored
RETURNING stored""")
_EVICT = sa.text("DELETE FROM tile_cache WHERE stored <= :stored - :limit")


@dataclass(frozen=True)
class Tile:
    """A tile's MVT bytes (b"" when nothing is on it) and its ETag ("" then)."""

    data: bytes
    etag: str

    @classmethod
    def of(cls, data: bytes) -> Tile:
        """The tile of freshly made MVT bytes, with its ETag."""
        return cls(data, tiles.tile_etag(data) if data else "")


def kept_tile(
    reader: so.Session | sa.Connection, layer: str, z: int, x: int, y: int
) -> Tile | None:
    """The kept copy of tile z/x/y of `layer`, or None when there is none.

    `reader` may be a session or a connection outside transactions (one round trip
    instead of three).
    Tiles below tiles.MIN_ZOOM are empty and answered without the database. Raises
    tiles.TileRangeError for impossible z/x/y.
    """
    tiles.check_tile(z, x, y)
    if z < tiles.MIN_ZOOM:
        return Tile(b"", "")
    kept = reader.execute(_LOOKUP, {"layer": layer, "z": z, "x": x, "y": y}).first()
    return None if kept is None else Tile(bytes(kept.data), kept.etag)


def make_tile(
    session: so.Session,
    layer: str,
    z: int,
    x: int,
    y: int,
    make: Callable[[so.Session, int, int, int], bytes],
    *,
    limit: int,
) -> Tile:
    """Tile z/x/y of `layer` made by `make(session, z, x, y)`, and kept unless a write
    that could change it is in flight; past `limit` kept tiles the oldest go.

    The caller commits the session for the new tile to stay.
    """
    may_store = bool(session.execute(_MAY_STORE).scalar())
    data = make(session, z, x, y)  # a new statement: it sees every write committed so far
    made = Tile.of(data)
    if may_store:
        stored = session.execute(
            _STORE, {"layer": layer, "z": z, "x": x, "y": y, "data": made.data, "etag": made.etag}
        ).scalar_one()
        if stored % EVICT_EVERY == 0:
            session.execute(_EVICT, {"stored": stored, "limit": limit})
    return made
