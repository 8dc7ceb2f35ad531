"""Markup planted in every text a page or map shows never runs, in a real Chromium.

A parcel's code, address and note, a lessee's name and address, a contract's note, a
resident's report and an anomaly flag's message and reason all hold
`<img src=x onerror=...>` and `<script>...</script>` that would set window.__xss. The
public map (search and popup), the parcel card, the office lists, record pages, the
editor with its neighbours' tooltips, the report queue and the audit flags are visited;
window.__xss stays unset, and the Content-Security-Policy never had to block an inline
script (it would, but only because escaping failed).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest

from tests import citizen_reports
from tests import factories as f
from tests.browser import CHROMIUM, launch, offline
from tests.live_server import serving
from tests.webmap.conftest import flag

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
PASSWORD = "correct horse 42"
IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=1</script>"
LON, LAT = f.OSH
#: Collects every CSP violation the page meets (an init script runs whatever the policy).
WATCH = """
document.addEventListener("securitypolicyviolation", function (e) {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI);
});
"""


@dataclass(frozen=True)
class Live:
    base: str
    ids: dict


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    ids: dict = {}

    def fill(session):
        osh = f.municipality(session, "osh")
        f.user(session, "admin", None, username="admin", password=PASSWORD)
        target = f.parcel(
            session, osh, shape=f.square(LON, LAT, 40), ident_code="5-08-01-0003-0001"
        )
        planted = f.parcel(
            session,
            osh,
            shape=f.square(LON + 0.0006, LAT, 40),
            ident_code=IMG,
            address=f"Ленина {SCRIPT}",
            note=IMG + SCRIPT,
        )
        lessee = f.lessee(session, osh, name=f"ОсОО {IMG}", address=SCRIPT)
        contract = f.contract(session, planted, lessee=lessee, note=IMG + SCRIPT)
        report = citizen_reports.filed(session, planted, text=f"Киоск {IMG} {SCRIPT}")
        found = flag(session, planted, status="dismissed", message=f"Flag {IMG} {SCRIPT}")
        found.reason = IMG + SCRIPT
        ids.update(
            target=target.id,
            planted=planted.id,
            lessee=lessee.id,
            contract=contract.id,
            report=report.id,
            flag=found.id,
        )

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield Live(served.base, ids)


@pytest.fixture()
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def _page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_init_script(WATCH)
    return offline(context.new_page())


def _nothing_ran(page, where):
    assert page.evaluate("typeof window.__xss") == "undefined", where
    assert page.evaluate("window.__csp || []") == [], where
    assert page.errors == [], (where, page.errors)


def test_public_pages_show_planted_markup_as_text(browser, live):
    page = _page(browser)
    page.goto(f"{live.base}/?lang=en")
    page.fill("#map-search-q", "Ленина")
    page.press("#map-search-q", "Enter")
    page.locator(".map-result").first.wait_for()
    assert IMG in page.inner_text(".map-results")
    page.locator(".map-result").first.click()
    page.locator(".leaflet-popup-content").wait_for()
    _nothing_ran(page, "public map")
    for path in (f"/parcels/{live.ids['planted']}", "/free", "/about-data"):
        page.goto(f"{live.base}{path}?lang=en")
        _nothing_ran(page, path)
    page.goto(f"{live.base}/parcels/{live.ids['planted']}?lang=en")
    assert IMG in page.inner_text("body")


def test_office_and_audit_pages_show_planted_markup_as_text(browser, live):
    page = _page(browser)
    page.goto(f"{live.base}/auth/login?lang=en&next=/office/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/office/**")
    ids = live.ids
    for path in (
        "/office/parcels/?q=Ленина",
        f"/office/parcels/{ids['planted']}",
        f"/office/parcels/{ids['planted']}/edit",
        f"/office/lessees/{ids['lessee']}",
        "/office/contracts/",
        f"/office/contracts/{ids['contract']}",
        f"/office/contracts/{ids['contract']}/edit",
        "/office/reports",
        f"/office/reports/{ids['report']}",
        "/audit/flags?status=dismissed",
        f"/audit/flags/{ids['flag']}",
    ):
        page.goto(f"{live.base}{path}{'&' if '?' in path else '?'}lang=en")
        page.wait_for_load_state("networkidle")
        # Shown as text, or as a form's value (escaped in the attribute).
        shown = page.inner_text("body")
        assert IMG in shown or SCRIPT in shown or "&lt;img src=x" in page.content(), path
        _nothing_ran(page, path)


def test_the_editors_neighbour_tooltips_show_planted_markup_as_text(browser, live):
    page = _page(browser)
    page.goto(f"{live.base}/auth/login?lang=en&next=/office/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/office/**")
    page.goto(f"{live.base}/office/parcels/{live.ids['target']}/map?lang=en")
    page.locator("#parcel-editor[data-neighbours='1']").wait_for()
    box = page.locator(".folium-map").bounding_box()
    point = page.evaluate(
        f"window.officeEditor.map.latLngToContainerPoint([{LAT}, {LON + 0.0006}])"
    )
    x, y = box["x"] + point["x"], box["y"] + point["y"]
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y, steps=3)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert IMG in tooltip.inner_text() and SCRIPT in tooltip.inner_text()
    # The save's overlap list shows the same code as text.
    page.evaluate(
        f"window.officeEditor.group.getLayers()[0].setLatLngs("
        f"[[{LAT - 0.0002}, {LON - 0.0003}], [{LAT - 0.0002}, {LON + 0.0006}],"
        f" [{LAT + 0.0002}, {LON + 0.0006}], [{LAT + 0.0002}, {LON - 0.0003}]])"
    )
    page.click("#save-shape")
    page.locator("#shape-confirm:not([hidden])").wait_for()
    assert IMG in page.inner_text("#shape-warnings")
    _nothing_ran(page, "parcel editor")
