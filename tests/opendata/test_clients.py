"""GIS clients read the OGC API from a live server: OWSLib (as QGIS's Python tools do) and
GDAL's OAPIF driver; the OCDS package validates with libcoveocds when the standard's
schema is available offline."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.serving import WSGIRequestHandler, make_server

from inventory.database.session import make_engine
from inventory.factory import create_app
from tests.conftest import throwaway_database
from tests.opendata.conftest import PRIVATE_NAME, make_inventory

#: A ZIP of the OCDS standard repository at tag 1__1__5 (libcoveocds reads the schema from
#: it instead of downloading it).
STANDARD_ZIP = os.environ.get("OCDS_STANDARD_ZIP", "")


class _OneRequestPerConnection(WSGIRequestHandler):
    # GDAL keeps connections alive; the development server then waits on the idle
    # socket instead of the next request. One request per connection avoids that.
    protocol_version = "HTTP/1.0"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The app on 127.0.0.1 (a free port) over a committed throwaway database."""
    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session, session.begin():
            make_inventory(session)
        engine.dispose()
        app = create_app({"ENV": "test", "SQLALCHEMY_URL": url,
                          "SECRET_KEY": "test-" + uuid.uuid4().hex,
                          "VAR_DIR": str(tmp_path_factory.mktemp("var"))})
        server = make_server("127.0.0.1", 0, app, threaded=True,
                             request_handler=_OneRequestPerConnection)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(5)
            app.extensions["inventory.db"].engine.dispose()


def test_owslib_lists_collections_and_reads_items_with_bbox_and_limit(live):
    from owslib.ogcapi.features import Features

    api = Features(f"{live}/ogc")
    ids = [c["id"] for c in api.collections()["collections"]]
    assert {"parcels", "buildings", "zones", "free-plots", "contracts"} <= set(ids)
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in \
        api.conformance()["conformsTo"]
    page = api.collection_items("parcels", limit=2)
    assert page["numberReturned"] == 2 and len(page["features"]) == 2
    boxed = api.collection_items("parcels", bbox=[72.7, 40.4, 72.8025, 40.6], limit=10)
    lons = [pt[0] for f in boxed["features"]
            for pt in f["geometry"]["coordinates"][0][0]]
    assert boxed["features"] and min(lons) <= 72.8025
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
        "                  'layers': layers}))\n")
    done = subprocess.run([sys.executable, "-c", script, live], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "GDAL_HTTP_TIMEOUT": "30"})
    assert done.returncode == 0, done.stderr[-2000:]
    read = json.loads(done.stdout.strip().splitlines()[-1])
    assert read["rows"] == 3 == read["geometries"] and "ident_code" in read["columns"]
    assert {"parcels", "contracts", "zones"} <= set(read["layers"])


@pytest.mark.skipif(not Path(STANDARD_ZIP).is_file(),
                    reason="set OCDS_STANDARD_ZIP to a ZIP of the OCDS standard (tag 1__1__5): "
                           "libcoveocds cannot download it without internet")
def test_the_ocds_package_validates_with_libcoveocds(live):
    import requests
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    package = requests.get(f"{live}/opendata/ocds/releases.json", timeout=30).json()
    # The extension is served by the app itself, so it is fetched from 127.0.0.1.
    assert package["extensions"][0].startswith(live)
    config = LibCoveOCDSConfig({"standard_zip": f"file://{STANDARD_ZIP}", "context": "api"})
    result = ocds_json_output(json_data=package, lib_cove_ocds_config=config)
    assert result["validation_errors"] == []
    assert not result.get("invalid_extension")
