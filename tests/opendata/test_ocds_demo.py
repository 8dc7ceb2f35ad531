"""The whole demo's OCDS package: one release per public contract, each listing exactly
its own contract's objects, and libcoveocds finds no error in it (not only in two
hand-made releases: a bug that repeats every object in every release shows only here)."""

from __future__ import annotations

import collections
import threading
import uuid

import pytest
import requests
import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.serving import make_server

from inventory.database.session import make_engine
from inventory.factory import create_app
from inventory.services import demo
from tests.conftest import throwaway_database
from tests.opendata.conftest import _OneRequestPerConnection
from tests.opendata.ocds_offline import offline, standard_zip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The app on 127.0.0.1 over a committed database holding the whole demo, and the
    objects of every contract as the database has them."""
    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session, session.begin():
            demo.load_demo(session, password=None)
            objects = collections.defaultdict(set)
            for contract_id, parcel_id, building_id in session.execute(
                sa.text("SELECT contract_id, parcel_id, building_id FROM contract_object")
            ):
                kind = "parcel" if parcel_id is not None else "building"
                objects[contract_id].add(f"{kind}-{parcel_id or building_id}")
        engine.dispose()
        app = create_app(
            {
                "ENV": "test",
                "SQLALCHEMY_URL": url,
                "SECRET_KEY": "test-" + uuid.uuid4().hex,
                "VAR_DIR": str(tmp_path_factory.mktemp("var")),
            }
        )
        server = make_server(
            "127.0.0.1", 0, app, threaded=True, request_handler=_OneRequestPerConnection
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", objects
        finally:
            server.shutdown()
            thread.join(5)


@pytest.fixture(scope="module")
def demo_package(demo_site):
    base, _ = demo_site
    with pytest.MonkeyPatch.context() as patch, offline(patch):
        response = requests.get(f"{base}/opendata/ocds/releases.json", timeout=120)
    assert response.status_code == 200
    return response.json()


def test_each_release_lists_exactly_its_own_contracts_objects(demo_site, demo_package):
    _, objects = demo_site
    releases = demo_package["releases"]
    assert len(releases) > 1000
    for release in releases:
        contract_id = int(release["ocid"].rsplit("-", 1)[1])
        items = [item["id"] for item in release["contracts"][0].get("items", [])]
        assert len(items) == len(set(items)), release["ocid"]
        assert set(items) == objects[contract_id], release["ocid"]


def test_the_whole_demo_package_validates_with_no_errors(demo_package, tmp_path, monkeypatch):
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig({"standard_zip": standard_zip(), "context": "api"})
    with offline(monkeypatch):
        result = ocds_json_output(
            str(tmp_path), json_data=demo_package, lib_cove_ocds_config=config
        )
    assert result["count"] == len(demo_package["releases"])
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    assert result["additional_fields"] == []
