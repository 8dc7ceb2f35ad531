"""The moderation queue in a real Chromium, walked by an officer in Kyrgyz and in Russian
on a desktop and on a 390×844 phone: the officer signs in, sees the count of reports
waiting, opens one (its map drawn, its contact shown), publishes it from the queue, and
the public parcel card shows it without the contact. Every page walked is checked as
tests/office/walks.py says (language, no codes, axe-core, width, console)."""

from __future__ import annotations

import shutil

import pytest

from tests import factories as f
from tests.browser import CHROMIUM
from tests.citizen_reports import CONTACT, filed
from tests.live_server import serving
from tests.office import walks
from tests.office.walks import PASSWORD, WALKS, checked, said

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
TEXT = "Во дворе на газоне поставили платную стоянку"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The server, and each walk's own report and parcel (a walk publishes its report)."""
    made = {}

    def fill(session):
        osh = f.municipality(session, "osh", name_ky="Ош", name_ru="Ош")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)
        for n, walk in enumerate(WALKS):
            parcel = f.parcel(session, osh, ident_code=f"5-08-01-0077-000{n + 1}")
            made[walk.id] = filed(session, parcel, f"{TEXT} ({n + 1})").id, parcel.id

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base, made


@pytest.fixture(scope="module")
def chromium():
    yield from walks.browser(playwright_api)


@pytest.fixture(params=WALKS)
def walk(request, chromium, live):
    """(the officer's page signed in, its language, this walk's report and parcel)."""
    base, made = live
    language, viewport = request.param
    page = walks.open_page(chromium, viewport)
    walks.sign_in(page, base, "officer-osh", language)
    page.wait_for_url("**/office/")
    n = [w.id for w in WALKS].index(request.node.callspec.id)
    yield page, language, n, *made[request.node.callspec.id]
    page.context.close()


def test_an_officer_publishes_a_report_from_the_queue(walk, live):
    page, language, n, report_id, parcel_id = walk
    base, _ = live
    text = f"{TEXT} ({n + 1})"
    checked(page, language, "home")
    waiting = int(page.locator("nav.site-nav .pending-reports").inner_text())
    assert waiting >= 1
    home = page.locator(".office-home .pending-reports-count").inner_text()
    assert home == said(language, "Waiting for moderation: %(n)s", n=waiting)

    page.click("nav.site-nav a.nav-reports")
    page.wait_for_url("**/office/reports")
    checked(page, language, "queue")
    row = page.locator(f'tr.report-row[data-report="{report_id}"]')
    assert text in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url(f"**/office/reports/{report_id}")
    page.locator(".record-map .leaflet-container").wait_for()
    checked(page, language, "report")
    assert page.locator(".report-contact").inner_text() == CONTACT

    page.go_back()
    page.wait_for_url("**/office/reports")
    page.locator(f'tr.report-row[data-report="{report_id}"] button.publish').click()
    page.wait_for_url("**/office/reports")
    checked(page, language, "published")
    done = "The report is published on the parcel's card, without the contact."
    assert said(language, done) in page.locator(".flash").inner_text()
    assert page.locator(f'tr.report-row[data-report="{report_id}"]').count() == 0
    badge = page.locator("nav.site-nav .pending-reports")
    assert (badge.inner_text() if badge.count() else "0") == str(waiting - 1)

    public = walks.open_page(page.context.browser, page.viewport_size)
    public.goto(f"{base}/parcels/{parcel_id}?lang={language}")
    card = checked(public, language, "public card")
    assert text in card and CONTACT not in public.content()
    public.context.close()
