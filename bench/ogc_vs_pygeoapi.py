"""OGC API - Features items over a dense area: the app against pygeoapi and tipg, same data.

    .venv/bin/python bench/ogc_vs_pygeoapi.py --parcels 1000000    # the national set
    .venv/bin/python bench/ogc_vs_pygeoapi.py --database-url postgresql://...

The three servers run on loopback with the same number of gunicorn workers (those of
`inventory serve --production`), against the same database:

- the app: `/ogc/collections/parcels/items?bbox=...&limit=1000`;
- pygeoapi (from PyPI, in its own virtual environment under var/bench/pygeoapi-venv,
  made on first use), its PostgreSQL provider pointed at a view `bench_ogc_parcels` whose
  SQL is the app's parcels layer (inventory.services.public.layers): the same public
  fields from the same tables, masking included; same threads per worker as the app;
- tipg (bench/tipg_peer.py, its own virtual environment var/bench/tipg-venv, uvicorn
  workers) on the same view.

Two queries per box: the bbox alone (`sortby=id` for the peers, as the app pages by id),
and the bbox with a CQL2 text filter and a sort on another property (FILTER, SORTBY)
for all three. The boxes are the grid cells (of the smallest size holding 1,000 parcels)
with the most parcels. Before timing, the benchmark checks that each peer returns the
app's feature ids, in the app's order, for every box and query. Then, after a warm-up,
CLIENTS clients in threads send requests to one server after the other, interleaved
(each round runs every server and query in turn, bounded in count and time); the figure
is the median requests per second of the rounds, with the median and p95 latency.
Targets: at least 3 times pygeoapi's throughput and 2 times tipg's, for both queries.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))

import tipg_peer  # noqa: E402

from bench.common import Row, format_table, free_port, run_server  # noqa: E402

VENV = ROOT / "var" / "bench" / "pygeoapi-venv"
#: What pygeoapi's virtual environment gets (its PostgreSQL provider needs GeoAlchemy2
#: and psycopg2, which pygeoapi itself does not require).
PYGEOAPI_PACKAGES = (
    "pygeoapi==0.21.0",
    "GeoAlchemy2",
    "SQLAlchemy<2.1",
    "psycopg2-binary",
    "gunicorn",
)
VIEW = "bench_ogc_parcels"
LIMIT = 1000
BOXES = 8
CLIENTS = 4
ROUNDS = 3
#: Each round stops after this many requests or seconds, whichever comes first.
ROUND_REQUESTS = 200
ROUND_SECONDS = 30.0
WORKERS = min(2 * (os.cpu_count() or 1) + 1, 9)  # `inventory serve --production`'s default
TARGET_RATIO = 3.0
TIPG_TARGET_RATIO = 2.0


# --- pygeoapi's own environment -----------------------------------------------------------


def ensure_pygeoapi() -> Path:
    """The virtual environment with pygeoapi, created and filled on first use."""
    marker = VENV / ".bench-packages"
    wanted = "\n".join(PYGEOAPI_PACKAGES)
    if marker.exists() and marker.read_text() == wanted:
        return VENV
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(VENV / "bin" / "pip"), "install", "--quiet", *PYGEOAPI_PACKAGES], check=True
    )
    marker.write_text(wanted)
    return VENV


def pygeoapi_config(url: str, port: int) -> dict:
    """A minimal pygeoapi configuration serving the view as collection `parcels`."""
    db = make_url(url)
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": 10_000},
            "map": {
                "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                "attribution": "OpenStreetMap",
            },
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "url": "http://127.0.0.1",
                "terms_of_service": "http://127.0.0.1",
            },
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "bench", "url": "http://127.0.0.1"},
            "contact": {
                key: "bench"
                for key in (
                    "name",
                    "position",
                    "address",
                    "city",
                    "stateorprovince",
                    "postalCode",
                    "country",
                    "phone",
                    "fax",
                    "email",
                    "url",
                    "instructions",
                    "hours",
                    "role",
                )
            },
        },
        "resources": {
            "parcels": {
                "type": "collection",
                "title": "Parcels",
                "description": "Land parcels",
                "keywords": ["parcels"],
                "extents": {
                    "spatial": {
                        "bbox": [-180, -90, 180, 90],
                        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                    }
                },
                "providers": [
                    {
                        "type": "feature",
                        "name": "PostgreSQL",
                        "data": {
                            "host": db.host,
                            "port": db.port or 5432,
                            "dbname": db.database,
                            "user": db.username,
                            "password": db.password,
                            "search_path": ["public"],
                        },
                        "id_field": "id",
                        "table": VIEW,
                        "geom_field": "geom",
                    }
                ],
            }
        },
    }


# --- the database side ------------------------------------------------------------------------


def prepare_view(engine: sa.Engine) -> None:
    from inventory.services.public.layers import LAYERS

    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP VIEW IF EXISTS {VIEW}"))
        conn.execute(sa.text(f"CREATE VIEW {VIEW} AS {LAYERS['parcels'].sql}"))


def dense_boxes(engine: sa.Engine, count: int = BOXES) -> tuple[float, list[tuple]]:
    """The `count` grid cells with the most parcels, of the smallest cell size (degrees)
    where each holds at least LIMIT parcels (else the largest size tried)."""
    with engine.connect() as conn:
        for size in (0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2):
            cells = conn.execute(
                sa.text("""
                SELECT floor((ST_XMin(geom) + ST_XMax(geom)) / 2 / :s) AS i,
                       floor((ST_YMin(geom) + ST_YMax(geom)) / 2 / :s) AS j, count(*) AS n
                  FROM parcel WHERE geom IS NOT NULL AND archived_at IS NULL
                 GROUP BY 1, 2 ORDER BY n DESC LIMIT :k"""),
                {"s": size, "k": count},
            ).all()
            if cells and min(c.n for c in cells) >= LIMIT:
                break
    boxes = [
        (
            round(c.i * size, 6),
            round(c.j * size, 6),
            round((c.i + 1) * size, 6),
            round((c.j + 1) * size, 6),
        )
        for c in cells
    ]
    return size, boxes


# --- the servers ----------------------------------------------------------------------------


def _gunicorn(executable: str, port: int, target: str) -> list[str]:
    from inventory.cli.serve import gunicorn_command

    command = gunicorn_command("127.0.0.1", port, WORKERS)
    command[:3] = [executable, "-m", "gunicorn"]
    command[-1] = target
    return command


@contextmanager
def app_server(url: str) -> Iterator[str]:
    port = free_port()
    env = {
        "DATABASE_URL": url,
        "INVENTORY_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "INVENTORY_LOG_LEVEL": "WARNING",
    }
    env["INVENTORY_PUBLIC_DATABASE_URL"] = None  # every read on the database measured
    with run_server(
        _gunicorn(sys.executable, port, "inventory:create_app()"),
        env=env,
        base=f"http://127.0.0.1:{port}",
        probe="/ogc/collections/parcels/items?limit=1",
    ) as base:
        yield base


@contextmanager
def pygeoapi_server(url: str, venv: Path) -> Iterator[str]:
    import yaml

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-pygeoapi-") as folder:
        config, openapi = Path(folder) / "config.yml", Path(folder) / "openapi.yml"
        config.write_text(yaml.safe_dump(pygeoapi_config(url, port), allow_unicode=True))
        env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
        subprocess.run(
            [
                str(venv / "bin" / "pygeoapi"),
                "openapi",
                "generate",
                str(config),
                "--output-file",
                str(openapi),
            ],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
        command = _gunicorn(str(venv / "bin" / "python"), port, "pygeoapi.flask_app:APP")
        with run_server(
            command, env=env, base=f"http://127.0.0.1:{port}", probe="/conformance?f=json"
        ) as base:
            yield base


# --- the clients ----------------------------------------------------------------------------


#: The second query of each box: a CQL2 filter and a sort on another property, which all
#: three servers support (the features matched are the leased ones, largest first).
FILTER = "status='leased'"
SORTBY = "-meas_area,id"
VARIANTS = ("bbox", "bbox + CQL2 filter + sortby")


def items_url(base: str, box: tuple, server: str, variant: str = VARIANTS[0]) -> str:
    """The items URL of `server` ("app", "pygeoapi" or "tipg") for a box; the second
    variant adds FILTER and SORTBY."""
    bbox = ",".join(f"{v:.6f}" for v in box)
    path = {
        "app": "/ogc/collections/parcels/items",
        "pygeoapi": "/collections/parcels/items",
        "tipg": tipg_peer.items_path(),
    }[server]
    query = {"bbox": bbox, "limit": LIMIT}
    if variant == VARIANTS[0]:
        if server != "app":
            query["sortby"] = "id"  # the app pages by id
    else:
        # pygeoapi 0.21 names CQL2 text (parsed by pygeofilter) `cql-text`.
        language = "cql-text" if server == "pygeoapi" else "cql2-text"
        query.update({"filter": FILTER, "filter-lang": language, "sortby": SORTBY})
    if server == "pygeoapi":
        query["f"] = "json"
    return f"{base}{path}?{urllib.parse.urlencode(query)}"


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as answer:
        if answer.status != 200:
            raise RuntimeError(f"{url}: {answer.status}")
        return answer.read()


def feature_ids(url: str, with_geometry: bool = False) -> list[int]:
    """The ids of the page's features, in order; only those with a geometry when
    `with_geometry`."""
    features = json.loads(fetch(url))["features"]
    return [int(f["id"]) for f in features if f.get("geometry") or not with_geometry]


def same_page(app_ids: list[int], peer_ids: list[int]) -> bool:
    """The peer's page is the app's, in the same order. The app also answers a box with
    the features that have no geometry (the OGC standard lets a feature without one match
    any box; the peers leave them out), so those are left out of `app_ids` and the
    peer's page, shifted by as many, is compared up to the app's last feature."""
    return bool(app_ids) and peer_ids[: len(app_ids)] == app_ids


@dataclass(frozen=True)
class Round:
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def load_round(
    urls: list[str],
    clients: int = CLIENTS,
    limit: int = ROUND_REQUESTS,
    seconds: float = ROUND_SECONDS,
) -> Round:
    """`clients` threads fetching `urls` in turn until `limit` requests or `seconds`."""
    lock = threading.Lock()
    issued, latencies = [0], []
    deadline = time.perf_counter() + seconds

    def client() -> None:
        while True:
            with lock:
                if issued[0] >= limit or time.perf_counter() > deadline:
                    return
                url = urls[issued[0] % len(urls)]
                issued[0] += 1
            started = time.perf_counter()
            fetch(url)
            with lock:
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Round(len(latencies), time.perf_counter() - started, latencies)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


# --- the benchmark --------------------------------------------------------------------------


def run(url: str, parcels: int, rounds: int = ROUNDS) -> list[Row]:
    """Throughput of the app, pygeoapi and tipg on the densest boxes, for a bbox query and
    for the same with a CQL2 filter and sortby; same features checked first."""
    venv = ensure_pygeoapi()
    tipg_peer.ensure_tipg()
    engine = sa.create_engine(url)
    prepare_view(engine)
    size, boxes = dense_boxes(engine)
    counts = []
    with engine.connect() as conn:
        for box in boxes:
            counts.append(
                conn.execute(
                    sa.text(
                        f"SELECT count(*) FROM {VIEW} "
                        "WHERE geom && ST_MakeEnvelope(:a, :b, :c, :d, 4326) AND"
                        " ST_Intersects(geom, ST_MakeEnvelope(:a, :b, :c, :d, 4326))"
                    ),
                    dict(zip("abcd", box, strict=True)),
                ).scalar()
            )
    engine.dispose()
    servers = ("app", "pygeoapi", "tipg")
    rates = {(s, v): [] for s in servers for v in VARIANTS}
    latencies = {(s, v): [] for s in servers for v in VARIANTS}
    mismatched: dict[tuple[str, str], int] = {}
    with (
        app_server(url) as app_base,
        pygeoapi_server(url, venv) as geo_base,
        tipg_peer.tipg_server(url, WORKERS) as tipg_base,
    ):
        bases = {"app": app_base, "pygeoapi": geo_base, "tipg": tipg_base}
        urls = {
            (s, v): [items_url(bases[s], box, s, v) for box in boxes]
            for s in servers
            for v in VARIANTS
        }
        for variant in VARIANTS:
            app_ids = [feature_ids(u, with_geometry=True) for u in urls["app", variant]]
            for peer in servers[1:]:
                mismatched[peer, variant] = sum(
                    not same_page(ids, feature_ids(u))
                    for ids, u in zip(app_ids, urls[peer, variant], strict=True)
                )
        returned = [len(feature_ids(a)) for a in urls["app", VARIANTS[0]]]
        for key in urls:  # warm-up: every worker, every box
            load_round(urls[key], limit=WORKERS * len(boxes), seconds=60)
        for _ in range(rounds):  # interleaved: each round runs every server in turn
            for variant in VARIANTS:
                for server in servers:
                    done = load_round(urls[server, variant])
                    rates[server, variant].append(done.per_second)
                    latencies[server, variant] += done.latencies
    where = (
        f"{len(boxes)} boxes of {size}°, {min(counts):,}-{max(counts):,} parcels each, "
        f"{min(returned)}-{max(returned)} returned; {CLIENTS} clients, {WORKERS} "
        f"gunicorn workers each side (app and pygeoapi × 2 threads, tipg uvicorn)"
    )
    rows = []
    targets = {"pygeoapi": TARGET_RATIO, "tipg": TIPG_TARGET_RATIO}
    for variant in VARIANTS:
        app_rate = statistics.median(rates["app", variant])
        for peer in servers[1:]:
            peer_rate = statistics.median(rates[peer, variant])
            ratio = app_rate / peer_rate
            wrong = mismatched[peer, variant]
            same = (
                "same features in every box (the app's without geometry aside)"
                if not wrong
                else f"DIFFERENT features in {wrong} of {len(boxes)} boxes"
            )
            extra = f"filter={FILTER}, sortby={SORTBY}; " if variant != VARIANTS[0] else ""
            rows.append(
                Row(
                    f"OGC items {variant}, limit={LIMIT}: throughput against {peer}",
                    f"{app_rate:.1f} req/s",
                    f"{peer_rate:.1f} req/s ({peer})",
                    ratio,
                    f"ratio: higher is better; {extra}{same}; {where}",
                    met=ratio >= targets[peer] and not wrong,
                    target=f"≥ {targets[peer]:g}x {peer}",
                )
            )
        med = {s: statistics.median(latencies[s, variant]) * 1000 for s in servers}
        p95 = {s: _p95(latencies[s, variant]) * 1000 for s in servers}
        rows.append(
            Row(
                f"OGC items {variant}: latency median / p95",
                f"{med['app']:.0f} / {p95['app']:.0f} ms",
                f"pygeoapi {med['pygeoapi']:.0f} / {p95['pygeoapi']:.0f} ms, "
                f"tipg {med['tipg']:.0f} / {p95['tipg']:.0f} ms",
                note=f"under {CLIENTS} concurrent clients",
            )
        )
    return rows


def print_table(rows: list[Row]) -> None:
    print(format_table([(Path(__file__).stem, row) for row in rows]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--parcels",
        type=int,
        default=1_000_000,
        help="scale of the national benchmark database (bench/national.py)",
    )
    parser.add_argument("--database-url", help="measure this database instead")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    url = args.database_url
    if url is None:
        from bench import national  # type: ignore[attr-defined]

        url = national.ensure(args.parcels)
    print_table(run(url, args.parcels, rounds=args.rounds))


if __name__ == "__main__":
    main()
