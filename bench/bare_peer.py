"""The bare limit, served like a peer: the fair ST_AsMVT query, and the read of a kept
tile, behind the same gunicorn settings as the app.

Timing the bare query straight on psycopg left out what every server pays (HTTP, a
worker thread, a pooled connection), so a ratio to it mixed two things. This WSGI app
does nothing but run the query of the tile asked for on a connection kept per thread:

- `GET /tiles/parcels/{z}/{x}/{y}.pbf`: FAIR_TILE_SQL, the tile made (id and status, no
  joins, no lessee);
- `GET /kept/parcels/{z}/{x}/{y}.pbf`: the bytes the app's tile cache holds for it
  (404 when it holds none), the limit of a cached read;
- `GET /health`: 200.

Run as `gunicorn bench.bare_peer:app` with DATABASE_URL set (bench/tiles.py does).
"""

from __future__ import annotations

import os
import re
import threading

import psycopg
from sqlalchemy.engine import make_url

#: ST_AsMVTGeom computed once per parcel: OFFSET 0 keeps the subquery from being
#: flattened into the outer query, where `geom IS NOT NULL` would make PostgreSQL compute
#: it a second time as a scan filter (1.4 times slower, and kinder to the app than fair).
FAIR_TILE_SQL = """
SELECT ST_AsMVT(q, 'parcels', 4096, 'geom', 'id')
  FROM (SELECT p.id, p.status,
               ST_AsMVTGeom(ST_Transform(p.geom, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s),
                            4096, 64, true) AS geom
          FROM parcel p
         WHERE p.geom && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s,
                                                      margin => 64.0 / 4096), 4326)
        OFFSET 0) q
 WHERE q.geom IS NOT NULL
"""
KEPT_SQL = (
    "SELECT data FROM tile_cache WHERE layer = 'parcels' AND z = %(z)s AND x = %(x)s AND y = %(y)s"
)
_PATH = re.compile(r"^/(tiles|kept)/parcels/(\d+)/(\d+)/(\d+)\.pbf$")
_local = threading.local()


def _connection() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        url = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql")
        conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
        _local.conn = conn
    return conn


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/health":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    match = _PATH.match(path)
    if not match:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    what, z, x, y = match.group(1), *map(int, match.groups()[1:])
    sql = FAIR_TILE_SQL if what == "tiles" else KEPT_SQL
    row = _connection().execute(sql, {"z": z, "x": x, "y": y}).fetchone()
    if row is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not kept"]
    body = bytes(row[0] or b"")
    if not body:
        start_response("204 No Content", [])
        return [b""]
    start_response(
        "200 OK",
        [
            ("Content-Type", "application/vnd.mapbox-vector-tile"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]
