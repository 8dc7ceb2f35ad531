"""The public map in a real Chromium, with every request off this machine blocked.

The app runs in a server thread over its own committed database (the usual per-test
rollback cannot be seen from another thread), so this is the resident's view end to end:
tiles drawn, a click opens the parcel's popup, search zooms to a parcel, nothing leaks.
"""
from __future__ import annotations

import shutil
import threading
import uuid
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import models as m
from inventory.database.session import make_engine
from inventory.factory import create_app
from tests import factories as f
from tests.conftest import throwaway_database
from tests.webmap.conftest import COMPANY_NAME, PRIVATE_NAME

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
XSS_ADDRESS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The base URL of the app serving a committed database with two leased parcels."""
    from werkzeug.serving import make_server

    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session, session.begin():
            osh = f.municipality(session, "osh")
            company = f.lessee(session, osh, name=COMPANY_NAME, inn="01234567890123")
            person = f.lessee(session, osh, kind=m.LesseeKind.INDIVIDUAL, name=PRIVATE_NAME)
            shown = f.parcel(session, osh, shape=f.square(72.8000, 40.5300, 40),
                             ident_code="5-08-01-0001-0001", address=XSS_ADDRESS,
                             status=m.ParcelStatus.LEASED)
            private = f.parcel(session, osh, shape=f.square(72.8008, 40.5300, 40),
                               ident_code="5-08-01-0001-0002", address="ул. Масалиева, 3",
                               status=m.ParcelStatus.LEASED)
            f.contract(session, shown, lessee=company)
            f.contract(session, private, lessee=person)
        engine.dispose()
        app = create_app({"ENV": "test", "SQLALCHEMY_URL": url,
                          "SECRET_KEY": uuid.uuid4().hex,
                          "VAR_DIR": str(tmp_path_factory.mktemp("var"))})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)
            app.extensions["inventory.db"].engine.dispose()


@pytest.fixture()
def page(live_server):
    """A Chromium page that may reach the app only; other requests are aborted and kept."""
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.blocked = []
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))

        def gate(route):
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                page.blocked.append(route.request.url)
                route.abort()

        page.route("**/*", gate)
        yield page
        browser.close()


def test_a_resident_clicks_a_parcel_and_reads_its_card(page, live_server):
    page.goto(f"{live_server}/?lang=en")
    parcels = page.locator(".leaflet-tile path.leaflet-interactive")
    parcels.first.wait_for(timeout=15_000)
    assert parcels.count() >= 2
    page.screenshot(path="/tmp/webmap-map.png")
    # Only base-map tiles may be attempted elsewhere, and the page works without them.
    assert all(urlsplit(u).hostname == "tile.openstreetmap.org" for u in page.blocked)

    box = page.locator(".leaflet-tile path.leaflet-interactive").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content .parcel-popup")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "5-08-01-0001-000" in text and "Leased" in text
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
