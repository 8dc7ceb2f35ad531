"""Vector tiles: the app's tile endpoint over HTTP against the fair bare query, served
over the same HTTP stack.

    .venv/bin/python bench/tiles.py [--parcels 1000000]

1. 200 parcel tiles at zooms 12 to 18 over the dense centres of the largest towns
   (points on parcels nearest the centres, which bench/national.py numbers first).
   The baseline is bench/bare_peer.py under the same gunicorn settings as the app: the
   fair bare `ST_AsMVT(ST_AsMVTGeom(...))` (ST_AsMVTGeom computed once per parcel; id
   and status only, no lessee, no joins), so both sides pay HTTP and a worker. Each
   tile is fetched from both once (warm-up), then timed from both in turn, alternating
   which goes first. Fresh against fresh: the app with INVENTORY_TILE_CACHE_TILES=0
   (every fetch makes the tile) against the bare query; target at most 2× at z15-18.
   Cached against cached: the app serving the tile it keeps
   (inventory/services/public/tile_cache.py) against the peer reading the same kept
   bytes; target at most 1.5×. Below zoom 14 the app sends an overview (one parcel per
   cell) while the bare query sends every parcel, so there the app is the faster one;
   the note gives the ratio per zoom. The bare query straight on psycopg is printed as
   context.
   Fresh tiles against tipg (bench/tipg_peer.py: its own venv, the same worker count,
   a view of the tile's fields with the same joins, extent 4096 and buffer 64): the same
   tiles interleaved one by one, target no slower at any zoom; then throughput over
   the same tiles with 8 and 32 concurrent clients, app and tipg in turn, target at
   least tipg's.
2. The largest tile of all those fetched (target: at most 500 KB).
3. Every tile at zooms 10, 11 and 12 that covers the largest town and Osh, made on each
   request (no tile cache): the slowest and the largest per zoom (target: under 300 ms).
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import psycopg
import requests
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa  # noqa: E402
import tipg_peer  # noqa: E402
from bare_peer import FAIR_TILE_SQL  # noqa: E402
from common import (  # noqa: E402
    Row,
    free_port,
    kb,
    measure_each,
    ms,
    ratio,
    run_server,
    serve,
    summarise,
)

SAMPLE = 200
DENSE_ZOOMS = range(12, 19)
CITY_ZOOMS = (10, 11, 12)
RATIO_TARGET = 1.5
FRESH_TARGET = 2.0
SIZE_TARGET = 500 * 1024
CITY_TARGET = 0.300
#: Concurrent clients of the throughput comparison with tipg.
CLIENT_COUNTS = (8, 32)
LOAD_REQUESTS = 400
LOAD_SECONDS = 30.0
WORKERS = 2

BARE_SQL = FAIR_TILE_SQL


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


def _interleaved(
    tiles: list[tuple[int, int, int]], first: Callable, second: Callable
) -> tuple[list[float], list[float]]:
    """Each tile fetched once from both (warm-up), then timed once from both, in turn and
    alternating which goes first, so a busy moment of the machine falls on both alike."""
    a, b = [], []
    for index, tile in enumerate(tiles):
        first(tile)
        second(tile)
        order = ((first, a), (second, b)) if index % 2 == 0 else ((second, b), (first, a))
        for call, samples in order:
            started = time.perf_counter()
            call(tile)
            samples.append(time.perf_counter() - started)
    return a, b


def _getter(base: str, http: requests.Session, prefix: str, sizes: dict | None = None):
    def get(tile):
        z, x, y = tile
        answer = http.get(f"{base}/{prefix}/parcels/{z}/{x}/{y}.pbf", timeout=120)
        answer.raise_for_status()
        if sizes is not None:
            sizes[tile] = len(answer.content)

    return get


@contextmanager
def bare_peer(url: str, workers: int = 2, threads: int = 2):
    """bench/bare_peer.py under gunicorn with the app's settings; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads), "bench.bare_peer:app"]
    with run_server(command, base=f"http://127.0.0.1:{port}", env={"DATABASE_URL": url}) as base:
        yield base


def _per_zoom(tiles, figure: list[float], baseline: list[float]) -> dict[int, float]:
    by_z: dict[int, list[tuple[float, float]]] = {}
    for tile, fig, base in zip(tiles, figure, baseline, strict=True):
        by_z.setdefault(tile[0], []).append((fig, base))
    return {
        z: statistics.median(a for a, _ in p) / statistics.median(b for _, b in p)
        for z, p in sorted(by_z.items())
    }


def _tipg_getter(base: str, http: requests.Session):
    def get(tile):
        answer = http.get(base + tipg_peer.tile_path(*tile), timeout=120)
        answer.raise_for_status()

    return get


def _throughput(urls: list[str], clients: int) -> float:
    """Requests per second of `clients` threads fetching `urls` in turn (each its own
    keep-alive session) until LOAD_REQUESTS requests or LOAD_SECONDS."""
    lock, issued, done = threading.Lock(), [0], [0]
    deadline = time.perf_counter() + LOAD_SECONDS

    def client() -> None:
        with requests.Session() as http:
            while True:
                with lock:
                    if issued[0] >= LOAD_REQUESTS or time.perf_counter() > deadline:
                        return
                    url = urls[issued[0] % len(urls)]
                    issued[0] += 1
                http.get(url, timeout=120).raise_for_status()
                with lock:
                    done[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.perf_counter() - started)


def run(url: str, parcels: int) -> list[Row]:
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        dense = dense_tiles(conn)
        by_zoom = city_tiles(conn)
        sizes: dict[tuple[int, int, int], int] = {}

        def direct(tile):
            z, x, y = tile
            return lambda: conn.execute(BARE_SQL, {"z": z, "x": x, "y": y}).fetchone()

        sql = measure_each([direct(t) for t in dense])
        conn.execute("DELETE FROM tile_cache")
        engine = sa.create_engine(url)
        tipg_peer.prepare_tile_view(engine)
        engine.dispose()
        with (
            bare_peer(url) as bare,
            serve(url, workers=WORKERS, threads=2, env={"INVENTORY_TILE_CACHE_TILES": "0"}) as base,
            tipg_peer.tipg_server(url, WORKERS, (tipg_peer.TILE_VIEW,)) as tipg,
            requests.Session() as http,
        ):
            made, made_bare = _interleaved(
                dense, _getter(base, http, "tiles", sizes), _getter(bare, http, "tiles")
            )
            made_app, made_tipg = _interleaved(
                dense, _getter(base, http, "tiles"), _tipg_getter(tipg, http)
            )
            app_urls = [f"{base}/tiles/parcels/{z}/{x}/{y}.pbf" for z, x, y in dense]
            tipg_urls = [tipg + tipg_peer.tile_path(*t) for t in dense]
            loads = {}
            for clients in CLIENT_COUNTS:  # interleaved: app, tipg, app, tipg
                rounds = [(_throughput(app_urls, clients), _throughput(tipg_urls, clients))]
                rounds.append((_throughput(app_urls, clients), _throughput(tipg_urls, clients)))
                loads[clients] = tuple(statistics.median(r[i] for r in rounds) for i in (0, 1))
            fetch = _getter(base, http, "tiles", sizes)
            city = {
                z: measure_each([(lambda t=t: fetch(t)) for t in tiles])
                for z, tiles in by_zoom.items()
            }
        conn.execute("DELETE FROM tile_cache")
        with (
            bare_peer(url) as bare,
            serve(url, workers=WORKERS, threads=2) as base,
            requests.Session() as http,
        ):
            app_get = _getter(base, http, "tiles")
            for tile in dense:  # the app keeps each tile it makes: the peer reads it then
                app_get(tile)
            kept, kept_bare = _interleaved(dense, app_get, _getter(bare, http, "kept"))
        conn.execute("DELETE FROM tile_cache")

    made_t, made_b = summarise(made), summarise(made_bare)
    kept_t, kept_b = summarise(kept), summarise(kept_bare)
    fresh_zooms = _per_zoom(dense, made, made_bare)
    high = [r for z, r in fresh_zooms.items() if z >= 15]
    zooms = ", ".join(f"z{z} {r:.2f}" for z, r in fresh_zooms.items())
    rows = [
        Row(
            f"{len(dense)} parcel tiles z12-18, dense centres, made on each request "
            "(TILE_CACHE_TILES=0), over HTTP, median",
            ms(made_t.median),
            f"fair bare ST_AsMVT over the same HTTP stack {ms(made_b.median)}",
            ratio(made_t.median, made_b.median),
            f"p95 {ms(made_t.p95)} vs {ms(made_b.p95)}; by zoom: {zooms}",
            met=bool(high) and max(high) <= FRESH_TARGET,
            target="<= 2 at z15-18",
        ),
        Row(
            "same tiles kept in the tile cache, over HTTP, median",
            ms(kept_t.median),
            f"bare read of the kept tile over the same HTTP stack {ms(kept_b.median)}",
            ratio(kept_t.median, kept_b.median),
            f"p95 {ms(kept_t.p95)} vs {ms(kept_b.p95)}",
            met=kept_t.median <= RATIO_TARGET * kept_b.median,
            target="ratio <= 1.5",
        ),
        Row(
            "fair bare ST_AsMVT straight on psycopg (no HTTP), median",
            ms(sql.median),
            note="context: what HTTP and a worker add to the bare query",
        ),
    ]
    tipg_zooms = _per_zoom(dense, made_app, made_tipg)
    app_t, tipg_t = summarise(made_app), summarise(made_tipg)
    rows.append(
        Row(
            "same tiles made on each request: the app against tipg, over HTTP, median",
            ms(app_t.median),
            f"tipg {ms(tipg_t.median)}",
            ratio(app_t.median, tipg_t.median),
            f"p95 {ms(app_t.p95)} vs {ms(tipg_t.p95)}; by zoom: "
            + ", ".join(f"z{z} {r:.2f}" for z, r in tipg_zooms.items())
            + f"; {WORKERS} workers each, tipg on a view of the same fields and joins",
            met=max(tipg_zooms.values()) <= 1.0,
            target="<= 1 at every zoom",
        )
    )
    for clients, (app_rate, tipg_rate) in loads.items():
        rows.append(
            Row(
                f"same tiles made on each request, {clients} clients: throughput",
                f"{app_rate:.1f} req/s",
                f"tipg {tipg_rate:.1f} req/s",
                app_rate / tipg_rate,
                "ratio: higher is better; median of 2 interleaved rounds",
                met=app_rate >= tipg_rate,
                target=">= tipg",
            )
        )
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
