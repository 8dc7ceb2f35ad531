"""The public map in a real Chromium, with every request off this machine blocked.

The app runs in a server thread over its own committed database (the usual per-test
rollback cannot be seen from another thread), so this is the resident's view end to end:
tiles drawn, a click opens the parcel's popup, search zooms to a parcel, the language
switch keeps the place, the free-plot list filters, a report is filed, nothing leaks.

Screenshots go to /tmp, or to $WEBMAP_SCREENSHOTS when set (docs/map.png is made so).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlsplit
from urllib.request import urlopen

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import models as m
from inventory.database.session import make_engine
from inventory.factory import create_app
from tests import factories as f
from tests.browser import CHROMIUM, launch, offline, scrolls_sideways
from tests.conftest import throwaway_database
from tests.office.walks import said
from tests.webmap.conftest import COMPANY_NAME, PRIVATE_NAME

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
XSS_ADDRESS = "<script>alert(1)</script>"
SCREENSHOTS = os.environ.get("WEBMAP_SCREENSHOTS", "/tmp")
REPORT_CONTACT = "+996 555 000 111"


@dataclass(frozen=True)
class Live:
    base: str
    database_url: str


def _neighbourhood(session, osh):
    """A few blocks of parcels of every status, a building and a zone around the two
    leased parcels, so the map has something to filter (and the screenshot to show)."""
    from decimal import Decimal

    statuses = list(m.ParcelStatus)
    uses = ("trade", "greening", "parking", "catering")
    for row in range(3):
        for col in range(5):
            centre = (72.7992 + col * 0.0006, 40.5306 + row * 0.0005)
            f.parcel(
                session,
                osh,
                shape=f.square(*centre, 40),
                ident_code=f"5-08-01-0002-{row * 5 + col + 1:04d}",
                address=f"мкр. Анар, {row * 5 + col + 1}",
                status=statuses[(row + col) % len(statuses)],
                designated_use=f.use(session, uses[(row * 5 + col) % len(uses)]),
                documented_area=Decimal(300 + 200 * col),
            )
    f.building(
        session,
        session.scalars(
            sa.select(m.Parcel).where(m.Parcel.ident_code == "5-08-01-0002-0001")
        ).one(),
    )
    f.zone(session, osh, shape=f.square(72.8005, 40.5310, 600), code="1", kz=Decimal("1.2"))


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The app serving a committed database: two leased parcels (a company's, a private
    person's) in a neighbourhood of parcels of every status."""
    from werkzeug.serving import make_server

    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session, session.begin():
            osh = f.municipality(session, "osh")
            company = f.lessee(session, osh, name=COMPANY_NAME, inn="01234567890123")
            person = f.lessee(session, osh, kind=m.LesseeKind.INDIVIDUAL, name=PRIVATE_NAME)
            shown = f.parcel(
                session,
                osh,
                shape=f.square(72.8000, 40.5300, 40),
                ident_code="5-08-01-0001-0001",
                address=XSS_ADDRESS,
                status=m.ParcelStatus.LEASED,
            )
            private = f.parcel(
                session,
                osh,
                shape=f.square(72.8008, 40.5300, 40),
                ident_code="5-08-01-0001-0002",
                address="ул. Масалиева, 3",
                status=m.ParcelStatus.LEASED,
            )
            f.contract(session, shown, lessee=company)
            f.contract(session, private, lessee=person)
            _neighbourhood(session, osh)
        engine.dispose()
        app = create_app(
            {
                "ENV": "test",
                "SQLALCHEMY_URL": url,
                "SECRET_KEY": uuid.uuid4().hex,
                "REPORT_MIN_FILL_SECONDS": 1,
                "VAR_DIR": str(tmp_path_factory.mktemp("var")),
            }
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Live(base=f"http://127.0.0.1:{server.server_port}", database_url=url)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            app.extensions["inventory.db"].engine.dispose()


@pytest.fixture(scope="module")
def live_server(live):
    """The base URL of the app."""
    return live.base


@pytest.fixture(params=[{"width": 1200, "height": 800}], ids=["desktop"])
def viewport(request):
    return request.param


@pytest.fixture()
def page(live_server, viewport):
    """A Chromium page that may reach the app only; other requests are aborted and kept."""
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        phone = viewport["width"] < 600  # a phone's browser, which widens to a wide page
        page = offline(browser.new_page(viewport=viewport, is_mobile=phone, has_touch=phone))
        yield page
        browser.close()


def test_a_resident_clicks_a_parcel_and_reads_its_card(page, live_server):
    page.goto(f"{live_server}/?lang=en")
    parcels = page.locator(".leaflet-tile path.leaflet-interactive")
    parcels.first.wait_for(timeout=15_000)
    assert parcels.count() >= 2
    page.screenshot(path=f"{SCREENSHOTS}/map.png")
    # Only base-map tiles may be attempted elsewhere, and the page works without them.
    assert all(urlsplit(u).hostname == "tile.openstreetmap.org" for u in page.blocked)

    box = page.locator(".leaflet-tile path.leaflet-interactive").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content .parcel-popup")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "5-08-01-000" in text
    assert PRIVATE_NAME not in page.content()
    assert page.errors == []


def test_an_address_with_markup_is_shown_as_text(page, live_server):
    page.goto(f"{live_server}/?lang=en")
    page.fill("#map-search-q", "5-08-01-0001-0001")
    page.press("#map-search-q", "Enter")
    page.locator(".map-result").first.click()
    popup = page.locator(".leaflet-popup-content .parcel-popup")
    popup.wait_for(timeout=10_000)
    assert XSS_ADDRESS in popup.inner_text() and COMPANY_NAME in popup.inner_text()
    assert page.locator(".leaflet-popup-content script").count() == 0
    assert page.evaluate("window.publicMap.getZoom()") >= 17
    page.screenshot(path="/tmp/webmap-popup.png")
    assert page.errors == []


def test_a_private_individual_is_only_a_label_in_search_and_popup(page, live_server):
    page.goto(f"{live_server}/?lang=ru")
    page.fill("#map-search-q", "Масалиева")
    page.press("#map-search-q", "Enter")
    page.locator(".map-result").first.click()
    popup = page.locator(".leaflet-popup-content .parcel-popup")
    popup.wait_for(timeout=10_000)
    assert "Частное лицо" in popup.inner_text()
    assert PRIVATE_NAME not in page.content()


def test_a_search_with_more_matches_than_listed_says_how_many(page, live_server):
    """The 15 parcels of "мкр. Анар" do not fit the list of 10: a line above it says how
    many matched, in the page's language."""
    with urlopen(f"{live_server}/search?q={quote('Анар')}", timeout=10) as answer:
        total = json.load(answer)
    assert total["total"] > 10
    page.goto(f"{live_server}/?lang=ru")
    page.fill("#map-search-q", "Анар")
    page.press("#map-search-q", "Enter")
    more = page.locator(".map-results li.more")
    more.wait_for(timeout=10_000)
    assert page.locator(".map-results li").first.get_attribute("class") == "more"
    assert page.locator(".map-result").count() == 10
    assert more.inner_text() == said(
        "ru",
        "The best %(shown)s of %(total)s matches are shown: add a word or a number"
        " to find the others.",
        shown="10",
        total=str(total["total"]),
    )
    assert page.errors == []


def _open_by_search(page, code):
    page.fill("#map-search-q", code)
    page.press("#map-search-q", "Enter")
    page.locator(".map-result").first.click()
    popup = page.locator(".leaflet-popup-content .parcel-popup")
    popup.wait_for(timeout=10_000)
    return popup


def test_the_language_switch_keeps_the_view_filters_and_parcel(page, live_server):
    page.goto(f"{live_server}/?lang=en")
    page.locator(".leaflet-tile path.leaflet-interactive").first.wait_for(timeout=15_000)
    page.click(".map-filters summary")
    page.select_option("#filter-use", "trade")
    page.uncheck("input[name=status][value=disputed]")
    popup = _open_by_search(page, "5-08-01-0001-0001")
    assert "Leased" in popup.inner_text()
    page.wait_for_function("location.hash.includes('parcel=')")
    zoom = page.evaluate("window.publicMap.getZoom()")
    centre = page.evaluate("[window.publicMap.getCenter().lat, window.publicMap.getCenter().lng]")
    hash_before = page.evaluate("location.hash")
    assert "use=trade" in hash_before and "status=" in hash_before
    assert "disputed" not in hash_before.split("status=")[1]

    page.click(".languages a[hreflang=ru]")
    page.wait_for_url("**lang=ru**")
    popup = page.locator(".leaflet-popup-content .parcel-popup")
    popup.wait_for(timeout=10_000)
    assert "Сдан в аренду" in popup.inner_text() and "5-08-01-0001-0001" in popup.inner_text()
    assert page.evaluate("window.publicMap.getZoom()") == zoom
    after = page.evaluate("[window.publicMap.getCenter().lat, window.publicMap.getCenter().lng]")
    assert abs(after[0] - centre[0]) < 1e-4 and abs(after[1] - centre[1]) < 1e-4
    assert page.input_value("#filter-use") == "trade"
    assert not page.is_checked("input[name=status][value=disputed]")
    assert page.is_checked("input[name=status][value=free]")
    assert page.errors == []


def test_the_status_filter_hides_parcels_on_the_map(page, live_server):
    page.goto(f"{live_server}/?lang=en#map=17/40.53040/72.80040")
    shapes = page.locator(".leaflet-tile path.leaflet-interactive")
    shapes.first.wait_for(timeout=15_000)
    everything = shapes.count()
    page.click(".map-filters summary")
    for status in ("leased", "municipal_use", "reserved", "disputed"):
        page.uncheck(f"input[name=status][value={status}]")
    page.wait_for_function(
        f"document.querySelectorAll('.leaflet-tile path.leaflet-interactive').length < {everything}"
    )
    page.wait_for_timeout(500)
    assert 0 < shapes.count() < everything
    assert "status=free" in page.evaluate("location.hash")


def test_the_free_plots_list_filters_and_leads_to_the_map(page, live_server):
    page.goto(f"{live_server}/free?lang=en")
    rows = page.locator("tr.free-plot")
    everything = rows.count()
    assert everything >= 2 and "№142" in page.content()
    page.select_option("select[name=use]", "greening")
    page.fill("input[name=min_area]", "600")
    page.click(".free-filter button[type=submit]")
    page.wait_for_url("**use=greening**")
    assert 0 < rows.count() < everything
    code = rows.first.locator("td").first.inner_text()
    rows.first.locator("a.on-map").click()
    popup = page.locator(".leaflet-popup-content .parcel-popup")
    popup.wait_for(timeout=15_000)
    assert code in popup.inner_text() and "Free, offered for lease" in popup.inner_text()
    assert page.errors == []


def test_a_resident_files_a_report_picked_on_the_map(page, live, live_server):
    page.goto(f"{live_server}/?lang=en")
    shapes = page.locator(".leaflet-tile path.leaflet-interactive")
    shapes.first.wait_for(timeout=15_000)
    _open_by_search(page, "5-08-01-0001-0001")
    page.click(".leaflet-popup-close-button")
    page.click(".map-pick")
    assert page.is_visible(".map-pick-hint")
    # The centre of parcel 0001-0001 (see `live`), wherever the popup panned the map to.
    point = page.evaluate("""() => {
        const p = window.publicMap.latLngToContainerPoint([40.5300, 72.8000]);
        const box = window.publicMap.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""")
    page.mouse.click(*point)
    page.wait_for_url("**/report?**parcel=**")
    text = "<b>Кафе</b> на газоне, 5 столов"
    page.fill("textarea[name=text]", text)
    page.fill("input[name=contact]", REPORT_CONTACT)
    page.wait_for_timeout(1200)  # the live app's minimum fill time is one second
    page.click(".report-form button[type=submit]")
    page.wait_for_url("**/report/sent**")
    assert "received" in page.content()

    engine = make_engine(live.database_url, poolclass=sa.pool.NullPool)
    with so.Session(engine) as session:
        report = session.scalars(
            sa.select(m.CitizenReport).where(m.CitizenReport.text == text)
        ).one()
        assert (report.status, report.contact) == ("pending", REPORT_CONTACT)
        parcel_id = report.parcel_id
    engine.dispose()
    assert parcel_id is not None
    page.goto(f"{live_server}/parcels/{parcel_id}?lang=en")
    assert "Кафе" not in page.content() and REPORT_CONTACT not in page.content()
    assert page.errors == []


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}], ids=["phone"])
def test_the_map_is_usable_on_a_phone(page, live_server):
    page.goto(f"{live_server}/?lang=ky")
    page.locator(".leaflet-tile path.leaflet-interactive").first.wait_for(timeout=15_000)
    page.screenshot(path=f"{SCREENSHOTS}/map-phone.png")
    # Nothing sticks out sideways, and the panel leaves most of the map visible.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not scrolls_sideways(page)
    panel = page.locator(".map-panel").bounding_box()
    assert panel["height"] < 844 * 0.5
    popup = _open_by_search(page, "5-08-01-0001-0001")
    page.wait_for_timeout(500)  # the pan into view
    card = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    assert card["x"] >= 0 and card["x"] + card["width"] <= 390
    assert not scrolls_sideways(page), "card opened"
    # Neither the zoom buttons nor the layers button cover the card's text.
    for control in (".leaflet-control-zoom", ".leaflet-control-layers"):
        edge = page.locator(control).bounding_box()
        beside = edge["x"] + edge["width"] <= card["x"] or card["x"] + card["width"] <= edge["x"]
        below = edge["y"] >= card["y"] + card["height"] or edge["y"] + edge["height"] <= card["y"]
        assert beside or below, (control, edge, card)
    # Its numbers and dates as Kyrgyz writes them (Chromium has no Kyrgyz format).
    text = popup.inner_text()
    assert "120\xa0000,00" in text or "120 000,00" in text, text
    assert "2028-ж., 31-декабрь" in text, text
    page.goto(f"{live_server}/free?lang=ky")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not scrolls_sideways(page), "free parcels"
    # Every other public page fits the phone too.
    for path in ("/auctions", "/about-data", "/campaigns", "/report"):
        page.goto(f"{live_server}{path}?lang=ky")
        assert not scrolls_sideways(page), path
    assert page.errors == []
