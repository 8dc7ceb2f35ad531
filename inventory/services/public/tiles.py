"""Mapbox vector tiles of the public parcel and building layers, each made by PostGIS in
one statement.

A tile is `ST_AsMVT` over the visible parcels that touch the tile (found through the
spatial index on `parcel.geom`), clipped and quantised by `ST_AsMVTGeom`, with the lessee
masked in SQL (inventory.services.privacy), so a private name never leaves the database.
"""

from __future__ import annotations

import hashlib
import math

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.privacy import public_lessee_name_text
from inventory.services.public.model import VISIBLE_BUILDING, VISIBLE_PARCEL

#: The layer names clients style (`vectorTileLayerStyles.parcels`, `.buildings`).
LAYER = "parcels"
BUILDING_LAYER = "buildings"
#: Tile grid resolution and the clipping buffer around it, in grid units (PostGIS defaults).
EXTENT = 4096
BUFFER = 64
#: Below this zoom a whole city's parcels are sub-pixel specks: answer an empty tile at once
#: instead of scanning every parcel of the country for nothing anyone can see.
MIN_ZOOM = 10
MAX_ZOOM = 22
#: From this zoom on, one grid unit is under a metre: simplifying would only cost time.
SIMPLIFY_BELOW_ZOOM = 16
#: Half the width of the Web Mercator square, in metres.
_MERCATOR_HALF = 20037508.342789244

#: `LEFT JOIN`s giving the parcel's (`p`) current lease (`c`) and its lessee (`l`): the
#: contract ACTIVE_CONTRACT_LATERAL of the public model picks, kept per parcel by triggers
#: in `parcel_current_lease` (migration 0024), so a tile joins it by key instead of
#: looking it up, with a sort, for each of its parcels.
CURRENT_LEASE_JOINS = """
LEFT JOIN parcel_current_lease cl ON cl.parcel_id = p.id
LEFT JOIN lease_contract c ON c.id = cl.contract_id
LEFT JOIN lessee l ON l.id = c.lessee_id"""
#: The masked lessee of CURRENT_LEASE_JOINS (a private individual's name comes out NULL).
_LESSEE = f"l.kind AS lessee_kind, {public_lessee_name_text('l')} AS lessee"

# The inner subquery `p` is fenced by OFFSET 0: flattened, PostgreSQL would push
# `geom IS NOT NULL` into the scan and compute ST_AsMVTGeom twice per parcel (a fifth to
# a third of a tile's time). Its parcels come out of the spatial index in the index's
# order; sorted by id, the key lookups of each parcel's lease (about half the tile's
# time at z15-16) walk `parcel_current_lease` in key order, from index pages just read,
# instead of jumping about it: 5-10 % off a dense z15-16 tile at 1,000,000 parcels, for
# an in-memory sort of a few thousand narrow rows. The lookups read covering indexes
# (migration 0028), never the tables. The features are the same; only their order in
# the tile changes (by id).
_TILE_SQL = sa.text(f"""
SELECT ST_AsMVT(features.*, '{LAYER}', {EXTENT}, 'geom', 'fid')
FROM (
    SELECT p.fid, p.id, p.status, p.use, p.municipality, {_LESSEE}, p.geom
    FROM (
        SELECT p.id AS fid, p.id, p.status, u.code AS use, m.slug AS municipality,
               ST_AsMVTGeom(
                   CASE WHEN :tolerance > 0
                        THEN ST_Simplify(ST_Transform(p.geom, 3857), :tolerance, true)
                        ELSE ST_Transform(p.geom, 3857) END,
                   ST_TileEnvelope(:z, :x, :y), {EXTENT}, {BUFFER}, true) AS geom
        FROM parcel p
        JOIN municipality m ON m.id = p.municipality_id
        LEFT JOIN land_use u ON u.id = p.designated_use_id
        WHERE p.geom && ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => :margin), 4326)
          AND {VISIBLE_PARCEL}
        ORDER BY p.id
        OFFSET 0
    ) p
    {CURRENT_LEASE_JOINS}
    WHERE p.geom IS NOT NULL
) features
""")


#: Below this zoom a tile carries at most one parcel per cell of a THIN_GRID x THIN_GRID
#: grid (see _THIN_TILE_SQL); from it on, every parcel.
THIN_BELOW_ZOOM = 14
THIN_GRID = 40
#: The grid's cells are probed only inside blocks of THIN_BLOCK x THIN_BLOCK cells that
#: hold some parcel (THIN_GRID is a multiple of it).
THIN_BLOCK = 4

# Below THIN_BELOW_ZOOM a town's centre puts tens of thousands of parcels of a few metres
# into one tile: each is under a pixel there, the tile would weigh megabytes, and making
# it would read every parcel of the town. Instead the tile is cut into THIN_GRID^2 cells
# (about 6 pixels wide on a 256-pixel tile) and the GiST index of `parcel_overview` is
# asked for any one parcel whose box touches each cell: at most THIN_GRID^2 index probes
# that stop at their first hit, whatever the density, so the time and the size are
# bounded. The blocks of 4 x 4 cells are asked first, so an empty stretch of the tile
# (most of a z10 tile is countryside) costs one probe per block, not one per cell.
# `parcel_overview` (migration 0025, kept by triggers on parcel) holds only
# visible parcels, each already in Web Mercator and simplified at one z13 grid unit, with
# the fields a tile shows: nothing is transformed or simplified here. A parcel narrower
# than two grid units of the tile's zoom is drawn as its box grown by one unit, a dot that
# survives quantisation, so a dense centre still shows where its parcels are.
_THIN_TILE_SQL = sa.text(f"""
WITH bounds AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS tile
),
grid AS (
    SELECT ST_XMin(tile) AS x0, ST_YMin(tile) AS y0,
           (ST_XMax(tile) - ST_XMin(tile)) / :grid AS step
    FROM bounds
),
blocks AS (
    SELECT bi, bj
    FROM grid, generate_series(0, :grid / {THIN_BLOCK} - 1) AS bi,
         generate_series(0, :grid / {THIN_BLOCK} - 1) AS bj
    WHERE EXISTS (
        SELECT 1 FROM parcel_overview o
        WHERE o.box && ST_MakeEnvelope(x0 + bi * {THIN_BLOCK} * step, y0 + bj * {THIN_BLOCK} * step,
                                       x0 + (bi + 1) * {THIN_BLOCK} * step,
                                       y0 + (bj + 1) * {THIN_BLOCK} * step, 3857))
),
cells AS MATERIALIZED (
    SELECT ST_MakeEnvelope(x0 + i * step, y0 + j * step,
                           x0 + (i + 1) * step, y0 + (j + 1) * step, 3857) AS box
    FROM grid, blocks,
         generate_series(bi * {THIN_BLOCK}, (bi + 1) * {THIN_BLOCK} - 1) AS i,
         generate_series(bj * {THIN_BLOCK}, (bj + 1) * {THIN_BLOCK} - 1) AS j
),
picked AS (
    SELECT DISTINCT pick.parcel_id AS id
    FROM cells
    CROSS JOIN LATERAL (
        SELECT o.parcel_id FROM parcel_overview o WHERE o.box && cells.box LIMIT 1
    ) pick
),
features AS MATERIALIZED (
    SELECT p.id AS fid, p.id, o.status, u.code AS use, m.slug AS municipality,
           {_LESSEE},
           ST_AsMVTGeom(CASE WHEN ST_XMax(o.box) - ST_XMin(o.box) < 2 * :tolerance
                               OR ST_YMax(o.box) - ST_YMin(o.box) < 2 * :tolerance
                             THEN ST_Expand(o.box, :tolerance)
                             ELSE o.shape END,
                        bounds.tile, {EXTENT}, {BUFFER}, true) AS geom
    FROM picked p
    JOIN parcel_overview o ON o.parcel_id = p.id
    CROSS JOIN bounds
    JOIN municipality m ON m.id = o.municipality_id
    LEFT JOIN land_use u ON u.id = o.designated_use_id
    {CURRENT_LEASE_JOINS}
)
SELECT ST_AsMVT(features.*, '{LAYER}', {EXTENT}, 'geom', 'fid')
FROM features
WHERE geom IS NOT NULL
""")


# Buildings carry no lessee: who rents a premise is on the parcel's card, masked there.
_BUILDING_TILE_SQL = sa.text(f"""
WITH bounds AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS tile,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => :margin), 4326) AS search
),
features AS MATERIALIZED (
    SELECT b.id AS fid, b.id, b.kind::text AS kind, b.floors, b.parcel_id,
           ST_AsMVTGeom(
               CASE WHEN :tolerance > 0
                    THEN ST_Simplify(ST_Transform(b.geom, 3857), :tolerance, true)
                    ELSE ST_Transform(b.geom, 3857) END,
               bounds.tile, {EXTENT}, {BUFFER}, true) AS geom
    FROM building b
    JOIN bounds ON b.geom && bounds.search
    WHERE {VISIBLE_BUILDING}
)
SELECT ST_AsMVT(features.*, '{BUILDING_LAYER}', {EXTENT}, 'geom', 'fid')
FROM features
WHERE geom IS NOT NULL
""")


#: JIT off for the rest of the transaction. A dense tile's estimated cost can pass
#: jit_above_cost, and compiling its expressions takes longer than running them (the
#: anomaly scan found the same); from SIMPLIFY_BELOW_ZOOM on a tile costs too little to
#: be compiled, and this round trip is saved.
_NO_JIT = sa.text("SELECT set_config('jit', 'off', true)")
#: `info` key of a connection that runs with JIT off from its start
#: (inventory.database.session.JIT_OFF): _NO_JIT is not needed there.
JIT_OFF = "jit_off"


class TileRangeError(ValueError):
    """z/x/y names no tile of the Web Mercator pyramid that this server serves."""


def check_tile(z: int, x: int, y: int) -> None:
    """Raise TileRangeError unless 0 <= z <= MAX_ZOOM and x, y lie inside zoom z's grid."""
    if not 0 <= z <= MAX_ZOOM:
        raise TileRangeError(f"zoom {z} is outside 0..{MAX_ZOOM}")
    side = 2**z
    if not (0 <= x < side and 0 <= y < side):
        raise TileRangeError(f"tile {x}/{y} is outside zoom {z}'s grid of {side}x{side}")


def made_in_transaction(z: int) -> bool:
    """Whether a tile of zoom z needs its session in a transaction: below
    SIMPLIFY_BELOW_ZOOM it turns JIT off for the transaction first (unless its
    connection runs with JIT off, see JIT_OFF). Lighter tiles are one statement and may
    be made on a session outside transactions (one round trip)."""
    return z < SIMPLIFY_BELOW_ZOOM


def simplify_tolerance(z: int) -> float:
    """Metres of one tile grid unit at zoom z below SIMPLIFY_BELOW_ZOOM, else 0 (none)."""
    if z >= SIMPLIFY_BELOW_ZOOM:
        return 0.0
    return 2 * _MERCATOR_HALF / math.pow(2, z) / EXTENT


def parcel_tile(session: so.Session, z: int, x: int, y: int) -> bytes:
    """The parcels tile z/x/y as MVT bytes; b"" when no visible parcel touches it.

    From THIN_BELOW_ZOOM on the tile holds every visible parcel touching it; below, one
    visible parcel per cell of a THIN_GRID x THIN_GRID grid over the tile (an overview:
    at those zooms a town's parcels are under a pixel each).

    Features carry `id`, `status`, `use` (designated use code), `municipality` (slug),
    `lessee_kind` and `lessee` (a legal entity's name or an entrepreneur's trade name, never
    an ИНН; absent for private individuals and parcels without an active contract). Raises
    TileRangeError for impossible z/x/y.
    """
    if MIN_ZOOM <= z < THIN_BELOW_ZOOM:
        return _tile(session, _THIN_TILE_SQL, z, x, y, grid=THIN_GRID)
    return _tile(session, _TILE_SQL, z, x, y)


def building_tile(session: so.Session, z: int, x: int, y: int) -> bytes:
    """The buildings tile z/x/y as MVT bytes; b"" when no visible building touches it.

    Features carry `id`, `kind` (building or premise), `floors` and `parcel_id`.
    Raises TileRangeError for impossible z/x/y.
    """
    return _tile(session, _BUILDING_TILE_SQL, z, x, y)


def _tile(
    session: so.Session, statement: sa.TextClause, z: int, x: int, y: int, **extra: int
) -> bytes:
    check_tile(z, x, y)
    if z < MIN_ZOOM:
        return b""
    if made_in_transaction(z) and not session.info.get(JIT_OFF):
        session.execute(_NO_JIT)
    data = session.execute(
        statement,
        {
            "z": z,
            "x": x,
            "y": y,
            "margin": BUFFER / EXTENT,
            "tolerance": simplify_tolerance(z),
            **extra,
        },
    ).scalar()
    return bytes(data or b"")


def tile_etag(data: bytes) -> str:
    """A strong validator of the tile's content: equal bytes, equal tag.

    Derived from the bytes themselves, so it changes exactly when what a resident would see
    changes (a new lessee, status or shape), whatever path the data took to change.
    """
    return hashlib.sha256(data).hexdigest()[:32]
