"""The open-data inventory (tests/opendata/conftest.py) plus what the OGC tests need:
contracts with a whole and a fractional area, a parcel with no geometry."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests import live_server
from tests.opendata.conftest import Inventory, make_inventory

#: Areas of two more contracts: a whole one first, then one with a fraction.
WHOLE_AREA = 706
FRACTIONAL_AREA = 140.7


def make_ogc_inventory(session) -> Inventory:
    inventory = make_inventory(session)
    for area in (WHOLE_AREA, FRACTIONAL_AREA):
        f.contract(session, f.parcel(session), leased_area=area)
    f.parcel(session, shape=False, address="ул. Без границ, 1")
    return inventory


@pytest.fixture()
def inventory(db_session) -> Inventory:
    return make_ogc_inventory(db_session)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The app over make_ogc_inventory() on 127.0.0.1, for OWSLib, GDAL and raw HTTP."""
    with live_server.serving(
        make_ogc_inventory,
        tmp_path_factory,
        request_handler=live_server.OneRequestPerConnection,
    ) as served:
        yield served.base
