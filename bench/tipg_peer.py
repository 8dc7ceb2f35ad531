"""tipg as a peer: the same parcels served by tipg (OGC API Features and Tiles on
PostGIS, FastAPI + asyncpg) for bench/ogc_vs_pygeoapi.py and bench/tiles.py.

tipg is installed on first use in its own virtual environment (var/bench/tipg-venv, like
pygeoapi's) and runs under gunicorn with uvicorn workers, as many as the app it is
compared with. It serves two views of the database under test, made from the app's own
SQL so both sides compute the same thing:

- `bench_ogc_parcels` (bench/ogc_vs_pygeoapi.py makes it): the app's OGC parcels layer,
  for `/collections/public.bench_ogc_parcels/items`;
- `bench_tile_parcels` (made here): the fields of the app's parcel tiles (id, status,
  use, municipality, masked lessee) with the same joins, for
  `/collections/public.bench_tile_parcels/tiles/WebMercatorQuad/{z}/{x}/{y}`, with the
  app's tile extent (4096) and buffer (64).

The catalogue's spatial and temporal extents are off (tipg would scan every view at start).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import free_port, run_server  # noqa: E402

VENV = ROOT / "var" / "bench" / "tipg-venv"
TIPG_PACKAGES = ("tipg==1.6.1", "uvicorn[standard]", "gunicorn")
OGC_VIEW = "bench_ogc_parcels"
TILE_VIEW = "bench_tile_parcels"


def ensure_tipg() -> Path:
    """The virtual environment with tipg, created and filled on first use."""
    marker = VENV / ".bench-packages"
    wanted = "\n".join(TIPG_PACKAGES)
    if marker.exists() and marker.read_text() == wanted:
        return VENV
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", *TIPG_PACKAGES], check=True)
    marker.write_text(wanted)
    return VENV


def tile_view_sql() -> str:
    """The app's parcel tile features (inventory.services.public.tiles) as a view."""
    from inventory.services.public.model import ACTIVE_CONTRACT_LATERAL, VISIBLE_PARCEL

    return f"""
SELECT p.id, p.status, u.code AS use, m.slug AS municipality,
       ac.lessee_kind, ac.lessee_name AS lessee, p.geom
  FROM parcel p
  JOIN municipality m ON m.id = p.municipality_id
  LEFT JOIN land_use u ON u.id = p.designated_use_id
  {ACTIVE_CONTRACT_LATERAL}
 WHERE {VISIBLE_PARCEL}"""


def prepare_tile_view(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP VIEW IF EXISTS {TILE_VIEW}"))
        conn.execute(sa.text(f"CREATE VIEW {TILE_VIEW} AS {tile_view_sql()}"))


def items_path(view: str = OGC_VIEW) -> str:
    return f"/collections/public.{view}/items"


def tile_path(z: int, x: int, y: int, view: str = TILE_VIEW) -> str:
    return f"/collections/public.{view}/tiles/WebMercatorQuad/{z}/{x}/{y}"


@contextmanager
def tipg_server(url: str, workers: int, views: tuple[str, ...] = (OGC_VIEW,)) -> Iterator[str]:
    """tipg under gunicorn (`workers` uvicorn workers) on a free loopback port, serving
    `views` of the database at `url`; yields its base URL."""
    venv = ensure_tipg()
    port = free_port()
    database = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    env = {
        "DATABASE_URL": database,
        "TIPG_DB_SCHEMAS": json.dumps(["public"]),
        "TIPG_DB_TABLES": json.dumps([f"public.{view}" for view in views]),
        "TIPG_DB_FUNCTIONS": "[]",
        "TIPG_DB_SPATIAL_EXTENT": "false",
        "TIPG_DB_DATETIME_EXTENT": "false",
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
        "TIPG_TILE_BUFFER": "64",
        "TIPG_TILE_RESOLUTION": "4096",
        "TIPG_ADD_TILES_VIEWER": "false",
        "TIPG_DEBUG": "false",
        **{f"TIPG_TABLE_CONFIG__public_{view}__PK": "id" for view in views},
        **{f"TIPG_TABLE_CONFIG__public_{view}__GEOMCOL": "geom" for view in views},
    }
    command = [str(venv / "bin" / "python"), "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "uvicorn.workers.UvicornWorker"]
    command += ["--timeout", "120", "--log-level", "warning", "tipg.main:app"]
    with run_server(
        command,
        env=env,
        base=f"http://127.0.0.1:{port}",
        probe=f"/collections/public.{views[0]}",
        timeout=120,
    ) as base:
        yield base
