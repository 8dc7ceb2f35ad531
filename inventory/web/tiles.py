"""Vector tile answers, shared by the public map's `/tiles/...` routes and OGC API -
Tiles at `/ogc/collections/<id>/tiles/...`: one way to find, make, cache and send a tile.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Response, abort, current_app, request

from inventory.database import get_public_database, get_public_session, get_session
from inventory.database.session import Database, get_database, lone_read
from inventory.services.public import tile_cache, tiles

#: Seconds a browser or proxy may reuse a tile before asking again (then ETag -> 304).
TILE_MAX_AGE = 60
#: Tiles and the OGC API are public data that web maps of other sites may load (as tipg
#: and pygeoapi allow): any origin, never with the reader's cookies (a wildcard origin
#: forbids credentials), so nothing of a signed-in officer is exposed.
CORS = ("Access-Control-Allow-Origin", "*")
MVT_MIMETYPE = "application/vnd.mapbox-vector-tile"

#: Makes tile z/x/y on a session, or on a connection of lone reads.
MakeTile = Callable[[so.Session | sa.Connection, int, int, int], bytes]


def tile_response(layer: str, make_tile: MakeTile, z: int, x: int, y: int) -> Response:
    """The tile as MVT; 204 (no body, no content type) when empty, 304 when the client's
    ETag still matches, 404 for a tile outside the pyramid."""
    try:
        tile = _tile(layer, make_tile, z, x, y)
    except tiles.TileRangeError as exc:
        abort(404, str(exc))
    if not tile.data:
        response = Response(status=204)
        # Flask gives every answer a text/html type; an empty tile has no content.
        del response.headers["Content-Type"]
    else:
        response = Response(tile.data, mimetype=MVT_MIMETYPE)
        response.set_etag(tile.etag)
        response.make_conditional(request)
    response.cache_control.public = True
    response.cache_control.max_age = TILE_MAX_AGE
    response.headers.set(*CORS)
    return without_date(response)


def without_date(response: Response) -> Response:
    """The answer without the `Date` header that Werkzeug's make_conditional adds: the
    HTTP server (gunicorn, Werkzeug's) writes its own, and two confuse caches."""
    del response.headers["Date"]
    return response


def _tile(layer: str, make_tile: MakeTile, z: int, x: int, y: int) -> tile_cache.Tile:
    """The tile from the tile cache of the main database; made afresh on the public
    database when one is set (a replica cannot store tiles: nginx or a CDN caches them
    there, deploy/SCALING.md) or when TILE_CACHE_TILES is 0.

    The kept tile's lookup and a tile made without the cache are lone reads
    (inventory.database.session.lone_read): no ping of the connection first, one retry
    on a connection the database dropped."""
    limit = current_app.config["TILE_CACHE_TILES"]
    public = get_public_database()
    if limit <= 0 or public is not None:
        database = public or get_database()
        if _lone(database, z):
            data = lone_read(lambda connection: make_tile(connection, z, x, y), database)
        else:
            data = make_tile(get_public_session(), z, x, y)
        return tile_cache.Tile.of(data)
    # The lookup's connection is back in the pool before a tile is made, perhaps for 100 ms.
    tile = lone_read(lambda connection: tile_cache.kept_tile(connection, layer, z, x, y))
    if tile is None:
        session = get_session()
        tile = tile_cache.make_tile(session, layer, z, x, y, make_tile, limit=limit)
        session.commit()
    return tile


def _lone(database: Database, z: int) -> bool:
    """Whether a tile of zoom z is made as a lone read of `database`.

    Not the overviews below tiles.THIN_BELOW_ZOOM: heavy statements whose best plan
    depends on their box, where a ping costs nothing next to them. From there on,
    always, except where lone reads are single statements outside a transaction on
    connections with JIT on (through PgBouncer) and the tile must turn JIT off in its
    transaction first."""
    if z < tiles.THIN_BELOW_ZOOM:
        return False
    return (
        not database.autocommit_reads
        or database.reads_without_jit
        or not tiles.made_in_transaction(z)
    )
