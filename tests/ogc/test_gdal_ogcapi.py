"""GDAL's OGCAPI driver against a live server: the installed ogrinfo lists the parcels
collection and reads it through the items API, and a GDAL with a vector-tile reader in
that driver (3.7 on; pyogrio bundles one) reads the parcels from the collection's OGC API
tiles. GDAL 3.6 (Debian 12, under QGIS 3.22) has none: its OGCAPI driver reads map
tilesets only, so `-oo API=TILES` cannot open any vector tileset there."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import urllib.request

import pytest


def _ogrinfo(*args: str) -> subprocess.CompletedProcess:
    found = shutil.which("ogrinfo")
    if found is None:
        print("ogrinfo is not installed (apt-get install gdal-bin): GDAL checks skipped")
        pytest.skip("ogrinfo not installed (gdal-bin)")
    env = {**os.environ, "GDAL_HTTP_TIMEOUT": "30"}
    return subprocess.run(
        [found, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def _json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def test_ogrinfo_lists_the_collections_and_reads_parcels_through_ogcapi(live):
    landing = _ogrinfo("-ro", f"OGCAPI:{live}/ogc")
    assert landing.returncode == 0, landing.stderr[-2000:]
    assert f"OGCAPI:{live}/ogc/collections/parcels" in landing.stdout
    parcels = _ogrinfo(
        "-ro", "-so", "-oo", "API=ITEMS", f"OGCAPI:{live}/ogc/collections/parcels", "parcels"
    )
    assert parcels.returncode == 0, parcels.stderr[-2000:]
    assert "Layer name: parcels" in parcels.stdout
    assert "Geometry: Multi Polygon" in parcels.stdout
    matched = _json(f"{live}/ogc/collections/parcels/items?limit=1")["numberMatched"]
    assert re.search(rf"^Feature Count: {matched}$", parcels.stdout, re.M), parcels.stdout


#: Run in a process of its own: pyogrio's bundled GDAL and PROJ must not meet the ones
#: the app and shapely loaded in the test process.
_READ_TILES = """
import json, sys
import pyogrio
url, minx, miny, maxx, maxy = sys.argv[1:]
box = {"minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy}
layers = [name for name, _ in pyogrio.list_layers(url)]
frame = pyogrio.read_dataframe(url, layer="Zoom level 16", api="TILES", **box)
print(json.dumps({"layers": layers, "columns": list(frame.columns),
                  "ids": sorted(int(i) for i in frame["id"])}))
"""


def test_gdal_reads_the_parcels_from_the_collections_ogc_api_tiles(live):
    pyogrio = pytest.importorskip("pyogrio")
    major, minor = (int(part) for part in pyogrio.__gdal_version_string__.split(".")[:2])
    if (major, minor) < (3, 7):
        pytest.skip("this GDAL's OGCAPI driver reads no vector tiles (before 3.7)")
    features = [
        feature
        for feature in _json(f"{live}/ogc/collections/parcels/items?limit=1000")["features"]
        if feature["geometry"]
    ]
    corners = [
        corner
        for feature in features
        for polygon in feature["geometry"]["coordinates"]
        for corner in polygon[0]
    ]
    # GDAL takes the area to read in the tile matrix set's CRS (the collection's extent
    # is CRS84, which its vector-tile reader would take as Web Mercator metres).
    minx, miny = _mercator(min(c[0] for c in corners), min(c[1] for c in corners))
    maxx, maxy = _mercator(max(c[0] for c in corners), max(c[1] for c in corners))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _READ_TILES,
            f"OGCAPI:{live}/ogc/collections/parcels",
            *(str(v) for v in (minx, miny, maxx, maxy)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    read = json.loads(done.stdout.strip().splitlines()[-1])
    assert "Zoom level 16" in read["layers"]
    assert {"id", "status", "municipality"} <= set(read["columns"])
    assert set(read["ids"]) == {feature["id"] for feature in features}


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator metres of a lon/lat point."""
    return (
        math.radians(lon) * _EARTH_RADIUS,
        math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * _EARTH_RADIUS,
    )


_EARTH_RADIUS = 6378137.0
