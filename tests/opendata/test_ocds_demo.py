"""The whole demo's OCDS package: one release per public contract, each listing exactly
its own contract's objects, and libcoveocds finds no error in it (not only in two
hand-made releases: a bug that repeats every object in every release shows only here)."""

from __future__ import annotations

import collections

import pytest
import requests
import sqlalchemy as sa

from inventory.services import demo
from tests.opendata.conftest import serving
from tests.opendata.ocds_offline import offline, standard_zip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The app on 127.0.0.1 over a committed database holding the whole demo, and the
    objects of every contract as the database has them."""
    objects: dict[int, set[str]] = collections.defaultdict(set)

    def fill(session):
        demo.load_demo(session, password=None)
        for contract_id, parcel_id, building_id in session.execute(
            sa.text("SELECT contract_id, parcel_id, building_id FROM contract_object")
        ):
            kind = "parcel" if parcel_id is not None else "building"
            objects[contract_id].add(f"{kind}-{parcel_id or building_id}")

    with serving(fill, tmp_path_factory) as base:
        yield base, objects


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
        if "contracts" not in release:  # an auction lot with no contract yet: a tender
            continue
        # A contract made from an auction lot is published under the lot's ocid.
        contract_id = int(release["contracts"][0]["id"])
        items = [item["id"] for item in release["contracts"][0].get("items", [])]
        assert len(items) == len(set(items)), release["ocid"]
        assert set(items) == objects[contract_id], release["ocid"]


def test_the_demos_lots_are_tenders_and_the_won_one_continues_to_its_contract(demo_package):
    lots = {r["tender"]["title"]: r for r in demo_package["releases"] if "-lot-" in r["ocid"]}
    assert set(lots) == {
        "Лот № ОШ-ЛОТ-2026/01",
        "Лот № ОШ-ЛОТ-2026/02",
        "Лот № ЖА-ЛОТ-2026/01",
        "Лот № НК-ЛОТ-2026/01",
    }
    won = lots["Лот № ОШ-ЛОТ-2026/02"]
    assert won["tender"]["status"] == "complete" and won["contracts"][0]["title"] == "ОШ-2026/А-001"
    assert lots["Лот № ЖА-ЛОТ-2026/01"]["tender"]["status"] == "unsuccessful"
    assert lots["Лот № ОШ-ЛОТ-2026/01"]["tender"]["status"] == "active"


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
