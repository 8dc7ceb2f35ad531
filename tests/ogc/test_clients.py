"""GIS clients against a live server: OWSLib reads queryables and filters; GDAL's OAPIF
driver (ogr2ogr, as QGIS uses it) types a fractional area as Real from the schema and
the values, and sends a -where to the server as one request."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from tests.ogc.conftest import FRACTIONAL_AREA, WHOLE_AREA


def test_owslib_reads_queryables_and_filters_by_property_name(live):
    from owslib.ogcapi.features import Features

    api = Features(f"{live}/ogc")
    queryables = api.collection_queryables("contracts")
    assert queryables["properties"]["area"]["type"] == "number"
    osh = api.collection_items("parcels", munic="osh", limit=100)
    assert (
        osh["numberMatched"] == api.collection_items("parcels", municipality="osh")["numberMatched"]
    )
    selected = api.collection_items("parcels", properties="ident_code,status", limit=2)
    assert set(selected["features"][0]["properties"]) == {"ident_code", "status"}


def _gdal(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "CPL_DEBUG": "ON", "GDAL_HTTP_TIMEOUT": "30"}
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


@pytest.fixture()
def ogr2ogr():
    found = shutil.which("ogr2ogr")
    if found is None:
        print("ogr2ogr is not installed (apt-get install gdal-bin): GDAL checks skipped")
        pytest.skip("ogr2ogr not installed (gdal-bin)")
    return found


def _items_requests(stderr: str) -> list[str]:
    return re.findall(
        r"(?:Fetch|GET|Downloading)[^\n]*?(/ogc/collections/[^\s)]*/items[^\s)]*)", stderr
    )


def test_gdal_types_the_fractional_area_as_real(live, ogr2ogr):
    # Pages of two: the first holds only whole areas (none and 900), which GDAL typed
    # Integer while they were written 900; written 900.0, the field is Real and the
    # later 140.7 is kept.
    done = _gdal("ogrinfo", "-ro", "-oo", "PAGE_SIZE=2", f"OAPIF:{live}/ogc", "contracts")
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"^area: Real", done.stdout, re.M), done.stdout[:3000]
    values = re.findall(r"^  area \(Real\) = (\S+)", done.stdout, re.M)
    assert str(FRACTIONAL_AREA) in values and str(WHOLE_AREA) in values, values


def test_gdal_sends_a_where_on_a_property_to_the_server_in_one_request(live, ogr2ogr, tmp_path):
    out = tmp_path / "osh.geojson"
    done = _gdal(
        ogr2ogr,
        "-f",
        "GeoJSON",
        str(out),
        f"OAPIF:{live}/ogc",
        "parcels",
        "-where",
        "munic = 'osh' AND status = 'free'",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    features = json.loads(out.read_text())["features"]
    assert features and all(f["properties"]["status"] == "free" for f in features)
    # One page, with the condition in the URL (a query parameter or a CQL2 filter),
    # instead of every page of every parcel filtered by GDAL.
    # GDAL reads a first page unfiltered to learn the fields; then one page with the
    # condition in the URL (query parameters or a CQL2 filter) instead of every page of
    # every parcel filtered by GDAL itself.
    requests = _items_requests(done.stderr)
    filtered = [url for url in requests if "munic" in url or "filter" in url]
    assert len(filtered) == 1 and len(requests) <= 2, requests
