"""GIS clients read the OGC API from a live server (the `live` fixture): OWSLib, as
QGIS's Python tools do, and GDAL's OAPIF driver, the one QGIS and ogr2ogr use."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.opendata.conftest import COMPANY_NAME, PRIVATE_NAME


def test_owslib_lists_collections_and_reads_items_with_bbox_and_limit(live):
    from owslib.ogcapi.features import Features

    api = Features(f"{live}/ogc")
    ids = [c["id"] for c in api.collections()["collections"]]
    assert {"parcels", "buildings", "zones", "free-plots", "contracts"} <= set(ids)
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
        in api.conformance()["conformsTo"]
    )
    page = api.collection_items("parcels", limit=2)
    assert page["numberReturned"] == 2 and len(page["features"]) == 2
    # A box around the first parcel (wherever the factories put it) finds it, and only
    # parcels that reach into the box; a box far away finds nothing.
    ring = page["features"][0]["geometry"]["coordinates"][0][0]
    box = [
        min(p[0] for p in ring) - 1e-4,
        min(p[1] for p in ring) - 1e-4,
        max(p[0] for p in ring) + 1e-4,
        max(p[1] for p in ring) + 1e-4,
    ]
    boxed = api.collection_items("parcels", bbox=box, limit=10)
    assert page["features"][0]["id"] in {f["id"] for f in boxed["features"]}
    for feature in boxed["features"]:
        points = feature["geometry"]["coordinates"][0][0]
        assert min(p[0] for p in points) <= box[2] and max(p[0] for p in points) >= box[0]
        assert min(p[1] for p in points) <= box[3] and max(p[1] for p in points) >= box[1]
    assert api.collection_items("parcels", bbox=[0, 0, 0.01, 0.01])["features"] == []
    contracts = api.collection_items("contracts")
    assert PRIVATE_NAME not in json.dumps(contracts, ensure_ascii=False)


def test_gdal_oapif_driver_reads_the_parcels(live):
    pyogrio = pytest.importorskip("pyogrio")
    if "OAPIF" not in pyogrio.list_drivers():
        pytest.skip("the GDAL bundled with pyogrio has no OAPIF driver")
    # In another process: pyogrio holds the GIL while GDAL fetches pages, which would
    # starve the server thread of this process and hang both.
    script = (
        "import json, sys, pyogrio\n"
        "source = 'OAPIF:' + sys.argv[1] + '/ogc'\n"
        "frame = pyogrio.read_dataframe(source, layer='parcels')\n"
        "layers = [str(n) for n, _ in pyogrio.list_layers(source)]\n"
        "print(json.dumps({'rows': len(frame), 'columns': list(frame.columns),\n"
        "                  'geometries': int(frame.geometry.notna().sum()),\n"
        "                  'layers': layers}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, live],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GDAL_HTTP_TIMEOUT": "30"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    read = json.loads(done.stdout.strip().splitlines()[-1])
    assert read["rows"] == 3 == read["geometries"] and "ident_code" in read["columns"]
    assert {"parcels", "contracts", "zones"} <= set(read["layers"])


def _gdal(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GDAL_HTTP_TIMEOUT": "30"},
    )


@pytest.mark.skipif(
    not shutil.which("ogr2ogr"),
    reason="GDAL's command-line tools (Debian's gdal-bin) are not installed",
)
def test_the_gdal_command_line_tools_list_and_copy_the_collections(live):
    # The tools QGIS users script with, from the system's GDAL rather than pyogrio's.
    source = f"OAPIF:{live}/ogc"
    listed = _gdal("ogrinfo", "-ro", "-q", source)
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert {"parcels", "buildings", "zones", "free-plots", "contracts"} <= {
        line.split(": ", 1)[1].split(" ")[0] for line in listed.stdout.splitlines() if ": " in line
    }
    copied = _gdal("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", source, "contracts")
    assert copied.returncode == 0, copied.stderr[-2000:]
    features = json.loads(copied.stdout)["features"]
    assert len(features) == 2 and all(f["geometry"]["type"] == "MultiPolygon" for f in features)
    assert COMPANY_NAME in {f["properties"]["lessee"] for f in features}
    assert PRIVATE_NAME not in copied.stdout
