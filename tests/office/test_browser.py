"""The officer workspace in a real Chromium, every request off this machine blocked:
signing in, drawing a parcel and saving it through the API, creating a contract, and
two officers editing one parcel.

Like tests/webmap/test_browser.py, the app runs in a server thread over its own
committed throwaway database.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import models as m
from inventory.database.session import make_engine
from tests import factories as f
from tests.browser import CHROMIUM, launch, offline
from tests.live_server import serving

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
PASSWORD = "correct horse 42"


@dataclass(frozen=True)
class Live:
    base: str
    database_url: str
    ids: dict


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    ids: dict = {}

    def fill(session):
        osh = f.municipality(session, "osh")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)
        f.user(session, "officer", osh, username="officer-two", password=PASSWORD)
        bare = f.parcel(
            session, osh, shape=None, ident_code="5-08-01-0001-0001", address="ул. Ленина, 1"
        )
        f.parcel(
            session,
            osh,
            shape=f.square(72.8010, 40.5300, 40),
            ident_code="5-08-01-0001-0002",
            address="ул. Ленина, 2",
        )
        shared = f.parcel(
            session,
            osh,
            shape=f.square(72.8030, 40.5300, 40),
            ident_code="5-08-01-0001-0003",
            address="ул. Ленина, 3",
        )
        lessee = f.lessee(session, osh, name="ОсОО «Ак-Буура»")
        ids.update(bare=bare.id, shared=shared.id, lessee=lessee.id)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield Live(served.base, served.database_url, ids)


@pytest.fixture()
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def _page(browser):
    """A page in a fresh context (its own cookies) that may reach the app only."""
    return offline(browser.new_context(viewport={"width": 1200, "height": 900}).new_page())


def _sign_in(page, live, username="officer-osh"):
    page.goto(f"{live.base}/auth/login?lang=en&next=/office/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/office/**")


def _session(live):
    engine = make_engine(live.database_url, poolclass=sa.pool.NullPool)
    return engine, so.Session(engine)


def test_an_officer_signs_in_and_sees_the_workspace(browser, live):
    page = _page(browser)
    _sign_in(page, live)
    assert "Officer workspace" in page.content()
    page.click("a.office-link")
    page.click(".office-nav >> text=Parcels")
    assert page.locator("tr.record-row").count() == 3
    assert page.blocked == [] and page.errors == []


def test_drawing_a_parcel_and_saving_it(browser, live):
    page = _page(browser)
    _sign_in(page, live)
    page.goto(f"{live.base}/office/parcels/{live.ids['bare']}/map?lang=en")
    page.locator(".leaflet-draw-draw-polygon").click()
    # Around the map's centre (the fallback centre of Osh), inside the boundary.
    box = page.locator(".folium-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-60, -60), (60, -60), (60, 60), (-60, 60)):
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(150)
    page.mouse.click(cx - 60, cy - 60)  # closing the ring finishes the polygon
    page.click("#save-shape")
    # (wait_for_function would need eval, which the page's CSP rightly forbids)
    page.locator("#shape-status:not(:empty)").wait_for()
    if page.locator("#shape-confirm").is_visible():
        # The square covers a neighbour: the editor asks before saving over it.
        page.click("#confirm-save")
        page.locator("#shape-status.saved").wait_for()
    assert page.inner_text("#shape-status") == "Saved.", page.inner_text("#shape-status")
    assert page.inner_text("#measured-area") not in ("", "—")
    # Whether the drawn square covers a neighbour depends on the map's pixel scale, which
    # varies with the browser under load; the overlap warning itself is proved against the
    # API in tests/office/test_parcel_map.py and tests/api.
    engine, session = _session(live)
    with session:
        parcel = session.get(m.Parcel, live.ids["bare"])
        assert parcel.geom is not None and parcel.measured_area > 0
    engine.dispose()
    assert page.blocked == [] and page.errors == []


def test_creating_a_contract(browser, live):
    page = _page(browser)
    _sign_in(page, live)
    page.goto(f"{live.base}/office/contracts/new?lang=en")
    page.fill("#f-number", "ОШ-2026-0500")
    page.fill("#f-lessee_id", str(live.ids["lessee"]))
    page.fill("#f-start_date", "2026-01-01")
    page.fill("#f-end_date", "2028-12-31")
    page.fill("#f-rent_amount", "12 500,00")
    page.select_option("#f-basis", "auction")
    page.select_option("#f-status", "draft")
    page.locator("input[name=object_ref]").first.fill("5-08-01-0001-0002")
    page.locator("input[name=object_area]").first.fill("1 200,5")
    page.click(".record-form button[type=submit]")
    page.wait_for_url("**/office/contracts/*")
    assert "ОШ-2026-0500" in page.content() and "Payment schedule" in page.content()
    assert "5-08-01-0001-0002" in page.inner_text(".contract-objects")
    # the page shows numbers as its language writes them (English groups thousands)
    assert "1,200.5" in page.inner_text(".contract-objects")
    assert page.blocked == [] and page.errors == []


def test_two_officers_editing_one_parcel(browser, live):
    first, second = _page(browser), _page(browser)
    _sign_in(first, live)
    _sign_in(second, live, "officer-two")
    edit = f"{live.base}/office/parcels/{live.ids['shared']}/edit?lang=en"
    first.goto(edit)
    second.goto(edit)
    first.fill("#f-address", "ул. Ленина, 3 (first)")
    first.click(".record-form button[type=submit]")
    first.wait_for_url(f"**/office/parcels/{live.ids['shared']}")
    second.fill("#f-address", "ул. Ленина, 3 (second)")
    second.click(".record-form button[type=submit]")
    second.wait_for_selector(".conflict")
    assert "Nothing was overwritten" in second.inner_text(".conflict")
    assert "ул. Ленина, 3 (first)" in second.inner_text(".saved-now")
    engine, session = _session(live)
    with session:
        assert session.get(m.Parcel, live.ids["shared"]).address == "ул. Ленина, 3 (first)"
    engine.dispose()
