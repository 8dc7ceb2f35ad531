"""Vector tiles: the app's tile endpoint over HTTP against the bare ST_AsMVT query.

    .venv/bin/python bench/tiles.py [--parcels 1000000]

1. 200 parcel tiles at zooms 12 to 18 over the dense centres of the largest towns
   (points on parcels nearest the centres, which bench/national.py numbers first):
   `GET /tiles/parcels/{z}/{x}/{y}.pbf` from the app served by gunicorn, against the
   bare `ST_AsMVT(ST_AsMVTGeom(...))` of the same tiles' parcels straight on psycopg (id
   and status only, no lessee, no joins). Each tile is fetched once to warm up, then
   timed once each way; the ratio of medians is the target (at most 1.5). The app runs
   twice: as configured, where the warm-up has put each tile in the tile cache
   (inventory/services/public/tile_cache.py) and the timed fetch is served from it; and with
   INVENTORY_TILE_CACHE_TILES=0, where every fetch makes the tile. Below zoom 14 the app
   sends an overview (one parcel per cell, inventory/services/public/tiles.py) while the bare
   query still sends every parcel, so there the app is the faster one; the note gives
   the ratio per zoom.
2. The largest tile of all those fetched (target: at most 500 KB).
3. Every tile at zooms 10, 11 and 12 that covers the largest town and Osh, made on each
   request (no tile cache): the slowest and the largest per zoom (target: under 300 ms).
"""

from __future__ import annotations

import math
import random
import statistics
import sys
from pathlib import Path

import psycopg
import requests
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, kb, measure_each, ms, ratio, serve  # noqa: E402

SAMPLE = 200
DENSE_ZOOMS = range(12, 19)
CITY_ZOOMS = (10, 11, 12)
RATIO_TARGET = 1.5
SIZE_TARGET = 500 * 1024
CITY_TARGET = 0.300

BARE_SQL = """
SELECT ST_AsMVT(q, 'parcels', 4096, 'geom', 'id')
  FROM (SELECT p.id, p.status,
               ST_AsMVTGeom(ST_Transform(p.geom, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s),
                            4096, 64, true) AS geom
          FROM parcel p
         WHERE p.geom && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s,
                                                      margin => 64.0 / 4096), 4326)) q
 WHERE q.geom IS NOT NULL
"""


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The Web Mercator (XYZ) tile holding lon/lat at zoom z."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    rad = math.radians(lat)
    y = int((1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * n)
    return z, min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def libpq(url: str) -> str:
    """A libpq connection string from the SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def dense_tiles(
    conn: psycopg.Connection, count: int = SAMPLE, seed: int = 7
) -> list[tuple[int, int, int]]:
    """`count` distinct tiles at zooms 12-18 around parcels in the densest tenth of the
    five largest towns."""
    rng = random.Random(seed)
    towns = conn.execute(
        "SELECT first_parcel, parcels FROM bench_city ORDER BY parcels DESC LIMIT 5"
    ).fetchall()
    ids = [
        first + rng.randrange(max(1, parcels // 10))
        for _ in range(count * 2)
        for first, parcels in [rng.choice(towns)]
    ]
    points = conn.execute(
        "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) AS c FROM parcel "
        "WHERE id = ANY(%s) AND geom IS NOT NULL) s",
        (ids,),
    ).fetchall()
    tiles: list[tuple[int, int, int]] = []
    seen = set()
    zooms = list(DENSE_ZOOMS)
    for index, (lon, lat) in enumerate(points):
        tile = tile_of(lon, lat, zooms[index % len(zooms)])
        if tile not in seen:
            seen.add(tile)
            tiles.append(tile)
        if len(tiles) == count:
            break
    return tiles


def city_tiles(conn: psycopg.Connection) -> dict[int, list[tuple[int, int, int]]]:
    """Every tile at zooms 10-12 touching the largest town's or Osh's boundary box."""
    boxes = conn.execute("""
        SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
          FROM (SELECT boundary::box2d AS b FROM municipality m
                 WHERE m.id = (SELECT id FROM bench_city ORDER BY parcels DESC LIMIT 1)
                    OR m.slug = 'osh') s""").fetchall()
    found: dict[int, list[tuple[int, int, int]]] = {}
    for z in CITY_ZOOMS:
        tiles = set()
        for xmin, ymin, xmax, ymax in boxes:
            _, x0, y0 = tile_of(xmin, ymax, z)
            _, x1, y1 = tile_of(xmax, ymin, z)
            tiles.update((z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1))
        found[z] = sorted(tiles)
    return found


def run(url: str, parcels: int) -> list[Row]:
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        dense = dense_tiles(conn)
        by_zoom = city_tiles(conn)
        sizes: dict[tuple[int, int, int], int] = {}

        def bare(tile):
            z, x, y = tile
            return lambda: conn.execute(BARE_SQL, {"z": z, "x": x, "y": y}).fetchone()

        def fetcher(base, http):
            def fetch(tile):
                z, x, y = tile

                def call():
                    answer = http.get(f"{base}/tiles/parcels/{z}/{x}/{y}.pbf", timeout=120)
                    answer.raise_for_status()
                    sizes[tile] = len(answer.content)

                return call

            return fetch

        sql = measure_each([bare(t) for t in dense])
        with (
            serve(url, workers=2, threads=2, env={"INVENTORY_TILE_CACHE_TILES": "0"}) as base,
            requests.Session() as http,
        ):
            fetch = fetcher(base, http)
            made = measure_each([fetch(t) for t in dense])
            city = {z: measure_each([fetch(t) for t in tiles]) for z, tiles in by_zoom.items()}
        conn.execute("DELETE FROM tile_cache")
        with serve(url, workers=2, threads=2) as base, requests.Session() as http:
            fetch = fetcher(base, http)
            app = measure_each([fetch(t) for t in dense])
        conn.execute("DELETE FROM tile_cache")

    def per_zoom(timing):
        by_z = {}
        for tile, fig, base in zip(dense, timing.samples, sql.samples, strict=True):
            by_z.setdefault(tile[0], []).append((fig, base))
        return ", ".join(
            f"z{z} {statistics.median(a for a, _ in p) / statistics.median(b for _, b in p):.1f}"
            for z, p in sorted(by_z.items())
        )

    rows = [
        Row(
            f"{len(dense)} parcel tiles z12-18, dense centres: app over HTTP, "
            "kept in the tile cache, median",
            ms(app.median),
            f"bare ST_AsMVT SQL {ms(sql.median)}",
            ratio(app.median, sql.median),
            f"p95 {ms(app.p95)} vs {ms(sql.p95)}; by zoom: {per_zoom(app)}",
            met=app.median <= RATIO_TARGET * sql.median,
            target="ratio <= 1.5",
        ),
        Row(
            "same tiles made on each request (TILE_CACHE_TILES=0), median",
            ms(made.median),
            f"bare SQL {ms(sql.median)}",
            ratio(made.median, sql.median),
            f"p95 {ms(made.p95)} vs {ms(sql.p95)}; by zoom: {per_zoom(made)}",
        ),
    ]
    largest = max(sizes, key=sizes.get)
    rows.append(
        Row(
            "largest parcel tile of the run",
            kb(sizes[largest]),
            note="tile {}/{}/{}".format(*largest),
            met=sizes[largest] <= SIZE_TARGET,
            target="<= 500 KB",
        )
    )
    for z, timing in city.items():
        tiles = by_zoom[z]
        biggest = max(sizes[t] for t in tiles)
        rows.append(
            Row(
                f"z{z}, {len(tiles)} tiles over the largest town and Osh: slowest",
                ms(max(timing.samples)),
                note=f"median {ms(timing.median)}, largest {kb(biggest)}",
                met=max(timing.samples) < CITY_TARGET,
                target="< 300 ms",
            )
        )
    return rows


if __name__ == "__main__":
    from common import main

    main("tiles", run, "Vector tile benchmark")
