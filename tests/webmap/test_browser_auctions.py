"""A resident finds the auctions in a real Chromium: the /auctions page lists the coming
lot and the result, the map marks the announced lot, and its popup leads back to the
lot on /auctions. Every request off this machine is blocked."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from inventory.services.auctions import results
from inventory.services.auctions.lots import kind as lots
from inventory.services.permissions import Actor
from tests import factories as f
from tests.browser import CHROMIUM, launch, offline, scrolls_sideways
from tests.live_server import serving

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]


def _auctions(session):
    osh = f.municipality(session, "osh")
    f.zone(session, osh, shape=f.square(72.8005, 40.5310, 800), kz=Decimal("1.1"))
    f.base_rate(session, osh)
    officer = Actor.of(f.user(session, "admin"), source="ui")
    coming = f.parcel(
        session,
        osh,
        shape=f.square(72.8000, 40.5300, 40),
        ident_code="5-08-01-0003-0001",
        address="ул. Курманжан Датка, 5",
        documented_area=Decimal("1200"),
    )
    lots.create(
        session,
        officer,
        {
            "municipality": "osh",
            "number": "ОШ-ЛОТ-77",
            "parcel_id": coming.id,
            "term_months": 48,
            "auction_date": "2027-01-20",
            "platform_ref": "EA-2027-77",
        },
    )
    sold = f.parcel(
        session,
        osh,
        shape=f.square(72.8010, 40.5300, 40),
        ident_code="5-08-01-0003-0002",
        documented_area=Decimal("600"),
    )
    lot = lots.create(
        session,
        officer,
        {
            "municipality": "osh",
            "number": "ОШ-ЛОТ-76",
            "parcel_id": sold.id,
            "term_months": 24,
            "auction_date": "2026-11-15",
        },
    )
    winner = f.lessee(session, osh, name="ОсОО «Ак-Бура»")
    results.record_winner(
        session,
        officer,
        lot["id"],
        {
            "version": lot["version"],
            "winner_id": winner.id,
            "final_rent": lot["starting_rent"] + 2000,
            "protocol_number": "П-76",
            "contract_number": "ОШ-А-76",
        },
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with serving(_auctions, tmp_path_factory) as served:
        yield served.base


@pytest.fixture()
def page(live):
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = offline(browser.new_page(viewport={"width": 1200, "height": 800}))
        yield page
        browser.close()


def test_a_resident_reads_the_auctions_and_finds_the_lot_on_the_map(page, live):
    page.goto(f"{live}/auctions?lang=en")
    coming = page.locator("table.upcoming-lots tr.lot")
    assert coming.count() == 1
    assert "ОШ-ЛОТ-77" in coming.first.inner_text() and "EA-2027-77" in coming.first.inner_text()
    held = page.locator("table.held-lots tr.lot")
    assert "Won by ОсОО «Ак-Бура»" in held.first.inner_text()
    assert page.locator("link[type='application/atom+xml']").count() == 2
    assert not scrolls_sideways(page)

    coming.first.locator("a.on-map").click()
    marker = page.locator("path.lot-marker")
    marker.first.wait_for(timeout=15_000)
    assert marker.count() == 1  # the announced lot only, not the one held
    marker.first.click(force=True)
    popup = page.locator(".leaflet-popup-content .lot-popup")
    popup.wait_for(timeout=10_000)
    assert "ОШ-ЛОТ-77" in popup.inner_text() and "5-08-01-0003-0001" in popup.inner_text()
    popup.locator("a").click()
    page.wait_for_url("**/auctions**#lot-*", timeout=10_000)
    assert page.errors == []
    assert all(u.startswith("https://tile.openstreetmap.org/") for u in page.blocked)
