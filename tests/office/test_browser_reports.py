"""The moderation queue in a real Chromium: an officer signs in, sees the count of
reports waiting, opens one (its map drawn, its contact shown), publishes it from the
queue, and the public parcel card shows it without the contact."""

from __future__ import annotations

import shutil

import pytest

from tests import factories as f
from tests.browser import CHROMIUM, launch, offline
from tests.citizen_reports import CONTACT, filed
from tests.live_server import serving

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
PASSWORD = "correct horse 42"
TEXT = "Во дворе на газоне поставили платную стоянку"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    made = {}

    def fill(session):
        osh = f.municipality(session, "osh")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)
        parcel = f.parcel(session, osh, ident_code="5-08-01-0077-0001")
        made["report"], made["parcel"] = filed(session, parcel, TEXT).id, parcel.id

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base, made["report"], made["parcel"]


def test_an_officer_publishes_a_report_from_the_queue(live):
    base, report_id, parcel_id = live
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        try:
            context = chromium.new_context(viewport={"width": 1200, "height": 900})
            context.set_default_timeout(30_000)
            page = offline(context.new_page())
            page.goto(f"{base}/auth/login?lang=en&next=/office/")
            page.fill("input[name=username]", "officer-osh")
            page.fill("input[name=password]", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url("**/office/")
            assert page.locator("nav .pending-reports").inner_text() == "1"
            assert "Waiting for moderation: 1" in page.locator(".office-home").inner_text()

            page.click("nav >> text=Citizen reports")
            page.wait_for_url("**/office/reports")
            row = page.locator(f'tr.report-row[data-report="{report_id}"]')
            assert TEXT in row.inner_text()
            row.locator("a").first.click()
            page.wait_for_url(f"**/office/reports/{report_id}")
            page.locator(".record-map .leaflet-container").wait_for()
            assert page.locator(".report-contact").inner_text() == CONTACT

            page.go_back()
            page.wait_for_url("**/office/reports")
            page.locator(f'tr.report-row[data-report="{report_id}"] button.publish').click()
            page.wait_for_url("**/office/reports")
            assert "is published" in page.locator(".flash").inner_text()
            assert page.locator(f'tr.report-row[data-report="{report_id}"]').count() == 0
            assert page.locator("nav .pending-reports").count() == 0
            assert page.errors == []

            public = context.new_page()
            context.clear_cookies()
            public.goto(f"{base}/parcels/{parcel_id}?lang=en")
            card = public.content()
            assert TEXT in card and CONTACT not in card
        finally:
            chromium.close()
