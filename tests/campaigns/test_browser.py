"""A review campaign in a real Chromium: an administrator opens it for the city's
officer, the officer opens a contract's prefilled review page, amends it with a new
rent, and the campaign's progress shows the contract reviewed and amended."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from tests import factories as f
from tests.browser import CHROMIUM, launch, offline
from tests.live_server import serving

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
PASSWORD = "correct horse 42"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    def fill(session):
        osh = f.municipality(session, "osh")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)
        f.user(session, "admin", username="admin", password=PASSWORD)
        f.contract(session, f.parcel(session, osh), number="ОШ-БР-1", rent_amount=Decimal(50000))

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base


def _sign_in(context, base, username):
    page = offline(context.new_page())
    page.goto(f"{base}/auth/login?lang=en&next=/office/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/office/")
    return page


def test_an_officer_amends_a_contract_of_a_campaign_and_the_progress_shows_it(live):
    base = live
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        try:
            admin = chromium.new_context(viewport={"width": 1200, "height": 900})
            admin.set_default_timeout(30_000)
            page = _sign_in(admin, base, "admin")
            page.click("nav >> text=Review campaigns")
            page.click("a.open-campaign")
            page.fill("input[name=title]", "Пересмотр договоров Оша")
            page.fill("input[name=deadline]", "2030-06-30")
            page.check("label:has-text('officer-osh') input[name=officers]")
            page.click("form.record-form button[type=submit]")
            page.wait_for_url("**/office/campaigns/*")
            campaign_url = page.url
            assert page.locator("tr[data-officer=officer-osh] td").nth(1).inner_text() == "1"
            assert page.errors == []
            admin.close()

            officer = chromium.new_context(viewport={"width": 1200, "height": 900})
            officer.set_default_timeout(30_000)
            page = _sign_in(officer, base, "officer-osh")
            page.goto(campaign_url + "?lang=en")
            page.click("tr.review-row >> text=ОШ-БР-1")
            page.wait_for_url("**/reviews/*")
            assert "50,000" in page.locator(".review-facts .rent").inner_text()
            page.check("input[name=outcome][value=amended]")
            page.fill("input[name=rent_amount]", "75 000,00")
            page.fill("textarea[name=note]", "Плата ниже нормативной")
            page.click("form.review-decision button[type=submit]")
            page.wait_for_url(campaign_url.split("?")[0])
            row = page.locator("tr.review-row[data-contract='ОШ-БР-1']")
            assert row.locator(".outcome").inner_text() == "Amended"
            assert "75,000" in row.inner_text()
            assert page.locator("tr[data-officer=officer-osh] td.reviewed").inner_text() == "1"
            assert "Reviewed 1 of 1" in page.locator(".campaign-progress").inner_text()
            assert page.errors == []
        finally:
            chromium.close()
