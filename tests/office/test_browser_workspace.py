"""The workspace in a real Chromium, on a desktop and on a 390×844 phone: an officer in
Kyrgyz and in Russian goes home → a contract ending soon → back → anomalies → a flag →
back → parcels → a record → back by the navigation; an auditor reaches the dashboard and
an administrator the users; a resident's search opens the parcel's card in plain view.
On every page axe-core (tests/vendor/axe-core) finds no serious or critical WCAG 2.1 AA
violation, nothing scrolls sideways and the console stays free of errors."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from inventory import models as m
from inventory.services import localtime
from tests import factories as f
from tests.browser import (
    CHROMIUM,
    browser,
    open_page,
    serious_violations,
)
from tests.live_server import serving
from tests.office.walks import codes_in, sign_in, too_wide

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
PASSWORD = "correct horse 42"
DESKTOP = {"width": 1280, "height": 800}
#: The parcel's card is in plain view: clear of the search panel floating over the map,
#: and the topmost thing where it is drawn.
IN_PLAIN_VIEW = """() => {
  const card = document.querySelector('.leaflet-popup');
  const panel = document.querySelector('.map-panel');
  if (!card || !card.querySelector('.parcel-popup')) return false;
  const a = card.getBoundingClientRect(), b = panel.getBoundingClientRect();
  const clear = a.bottom <= b.top || a.top >= b.bottom || a.right <= b.left || a.left >= b.right;
  const hit = document.elementFromPoint(a.left + a.width / 2, a.top + 10);
  return clear && !!hit && !!hit.closest('.leaflet-popup');
}"""
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    def fill(session):
        osh = f.municipality(session, "osh", name_ru="Ош", name_ky="Ош")
        f.municipality(session, "jalal-abad", centre=f.JALAL_ABAD)
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)
        f.user(session, "auditor", username="a.toktogulova", password=PASSWORD)
        f.user(session, "admin", username="chief", password=PASSWORD)
        parcel = f.parcel(
            session, osh, shape=f.square(72.8010, 40.5300, 40), address="ул. Курманжан Датки, 1"
        )
        f.parcel(session, osh, shape=f.square(72.8030, 40.5300, 40), address="ул. Ленина, 2")
        today = localtime.today()
        contract = f.contract(session, parcel, end_date=today + dt.timedelta(days=20))
        session.add_all(
            [
                m.AnomalyFlag(
                    municipality_id=osh.id,
                    rule="misuse",
                    severity=m.Severity.CRITICAL,
                    fingerprint="misuse-1",
                    message="Участок для торговли используется как автомойка",
                    evidence={},
                    evidence_hash="x",
                    parcel_id=parcel.id,
                    contract_id=contract.id,
                ),
                m.CitizenReport(
                    municipality_id=osh.id, parcel_id=parcel.id, text="Свалка мусора у забора"
                ),
            ]
        )

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base


@pytest.fixture(scope="module")
def chromium():
    yield from browser(playwright_api)


def _sign_in(page, base, username, language):
    sign_in(page, base, username, language)
    page.wait_for_url("**/office/")


def _checked(page, what: str) -> None:
    """The page shows no code (but /opendata, which documents the codes of the data it
    publishes), passes axe-core, fits the window and logged no error."""
    page.wait_for_load_state("load")
    if what != "/opendata":
        assert codes_in(page.locator("body").inner_text()) == [], what
    assert serious_violations(page) == [], what
    assert not too_wide(page), what
    assert page.console == [] and page.errors == [], what


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_an_officer_walks_from_the_task_list_to_a_flag_and_a_record(
    live, chromium, language, viewport
):
    page = open_page(chromium, viewport)
    _sign_in(page, live, "officer-osh", language)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".task-flags .task-count").inner_text() == "1"
    assert page.locator(".task-ending .task-items a").count() == 1
    _checked(page, "home")
    page.click(".task-ending .task-items a")
    page.wait_for_url("**/office/contracts/*")
    _checked(page, "contract record")
    page.go_back()
    page.wait_for_url("**/office/")

    page.click("nav.site-nav a.nav-flags")
    page.wait_for_url("**/audit/flags")
    assert page.locator("a.nav-flags").get_attribute("aria-current") == "page"
    _checked(page, "flags")
    page.click("table.flags tbody a")
    page.wait_for_url("**/audit/flags/*")
    _checked(page, "flag")
    page.go_back()
    page.wait_for_url("**/audit/flags")

    page.click("nav.site-nav a.nav-parcels")
    page.wait_for_url("**/office/parcels/")
    _checked(page, "parcels")
    page.locator("tr.record-row a").first.click()
    page.wait_for_url("**/office/parcels/*")
    _checked(page, "parcel record")
    page.go_back()
    page.wait_for_url("**/office/parcels/")
    page.click("nav.site-nav a.office-link")
    page.wait_for_url("**/office/")
    page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_an_auditor_reaches_the_dashboard_and_an_admin_the_users(
    live, chromium, language, viewport
):
    page = open_page(chromium, viewport)
    _sign_in(page, live, "a.toktogulova", language)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("a.nav-import").count() == 0
    page.click("nav.site-nav a.nav-flags")
    page.wait_for_url("**/audit/flags")
    _checked(page, "flags")
    page.click("nav.site-nav a.nav-dashboard")
    page.wait_for_url("**/audit/dashboard")
    _checked(page, "dashboard")
    page.context.close()

    page = open_page(chromium, viewport)
    _sign_in(page, live, "chief", language)
    page.click(".user-menu a.nav-users")
    page.wait_for_url("**/office/users")
    _checked(page, "users")
    page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_resident_finds_a_parcel_and_reads_its_card_in_plain_view(live, chromium, viewport):
    page = open_page(chromium, viewport)
    page.goto(f"{live}/?lang=ru#map=16/40.5300/72.8020")
    page.wait_for_selector(".public-map .leaflet-container")
    _checked(page, "map")
    page.fill("#map-search-q", "Курманжан")
    page.locator(".map-result").first.click()
    card = page.locator(".leaflet-popup-content .parcel-popup")
    card.wait_for()
    # Nothing lies over the card: the results folded away, the panel stays above it.
    assert page.locator(".map-results").is_hidden()
    page.wait_for_function(IN_PLAIN_VIEW)
    # The card took the keyboard's focus; Esc closes it and gives the focus back.
    assert page.evaluate("!!document.activeElement.closest('.parcel-popup')")
    page.keyboard.press("Escape")
    card.wait_for(state="detached")
    assert page.evaluate("document.activeElement.id") == "map-search-q"
    for path in (
        "/free",
        "/auth/login",
        "/stats",
        "/opendata",
        "/about-data",
        "/auctions",
        "/campaigns",
    ):
        page.goto(f"{live}{path}?lang=ky")
        _checked(page, path)
    page.context.close()


#: The workspace's other pages, forms above all: every field has a label.
SWEPT = (
    "/office/parcels/new",
    "/office/contracts/new",
    "/office/payments/",
    "/office/import",
    "/office/inspections/visit",
    "/office/reports",
    "/office/campaigns",
    "/office/auctions",
    "/office/auctions/new",
    "/office/statement-lines",
    "/office/synonyms",
    "/office/digest",
    "/auth/password",
)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_workspace_page_passes_axe_and_fits_a_phone(live, chromium, viewport):
    page = open_page(chromium, viewport)
    _sign_in(page, live, "chief", "en")
    failures = {}
    for path in SWEPT:
        page.goto(f"{live}{path}")
        page.wait_for_load_state("load")
        found = serious_violations(page)
        if too_wide(page):
            found.append("scrolls sideways")
        if found:
            failures[path] = found
    assert failures == {}
    assert page.console == [] and page.errors == []
    page.context.close()
