"""The benchmark modules of bench/ import (their run(url, parcels) is what bench/run
calls), and the SQL the peers are given runs on the migrated schema. No timing here."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

BENCH = Path(__file__).resolve().parents[1] / "bench"
RUN_MODULES = (
    "tiles",
    "search",
    "page_size",
    "ogc_vs_pygeoapi",
    "exports_memory",
    "import_speed",
    "anomaly_scan",
    "load",
)


@pytest.fixture(scope="module")
def bench_path():
    sys.path.insert(0, str(BENCH))
    yield
    sys.path.remove(str(BENCH))


@pytest.mark.parametrize("name", RUN_MODULES)
def test_every_benchmark_that_bench_run_runs_imports_and_has_run(bench_path, name):
    assert callable(importlib.import_module(name).run)


def test_the_peers_import_and_name_the_same_boxes_and_tiles(bench_path):
    tipg_peer = importlib.import_module("tipg_peer")
    ogc = importlib.import_module("ogc_vs_pygeoapi")
    importlib.import_module("bare_peer")
    box = (72.79, 40.52, 72.8, 40.53)
    for server in ("app", "pygeoapi", "tipg"):
        for variant in ogc.VARIANTS:
            assert "bbox=72.790000%2C40.520000%2C72.800000%2C40.530000" in ogc.items_url(
                "http://x", box, server, variant
            )
    assert tipg_peer.tile_path(15, 1, 2).endswith("/tiles/WebMercatorQuad/15/1/2")


def test_the_peers_views_and_the_fair_bare_tile_run_on_the_schema(bench_path, db_session):
    tipg_peer = importlib.import_module("tipg_peer")
    bare_peer = importlib.import_module("bare_peer")
    db_session.execute(sa.text(f"SELECT * FROM ({tipg_peer.tile_view_sql()}) v LIMIT 1")).all()
    sql = bare_peer.FAIR_TILE_SQL.replace("%(z)s", "15").replace("%(x)s", "1").replace("%(y)s", "2")
    db_session.execute(sa.text(sql)).all()
