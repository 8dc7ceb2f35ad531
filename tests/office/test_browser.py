"""The officer workspace in a real Chromium, every request off this machine blocked, in
Kyrgyz and in Russian on a desktop and on a 390×844 phone: signing in, drawing a parcel
and saving it through the API, creating a contract, and two officers editing one parcel.
Every page walked is checked as tests/office/walks.py says (language, no codes,
axe-core, width, console).

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
from tests.browser import CHROMIUM
from tests.live_server import serving
from tests.office import walks
from tests.office.walks import PASSWORD, WALKS, checked, said

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]


@dataclass(frozen=True)
class Live:
    base: str
    database_url: str
    ids: dict


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    ids: dict = {}

    def fill(session):
        osh = f.municipality(session, "osh", name_ky="Ош", name_ru="Ош")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)
        f.user(session, "officer", osh, username="officer-two", password=PASSWORD)
        for n, walk in enumerate(WALKS):  # a parcel with no shape yet for each walk
            bare = f.parcel(
                session, osh, shape=None, ident_code=f"5-08-01-0009-000{n + 1}", address=None
            )
            ids[walk.id] = bare.id
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
        ids.update(shared=shared.id, lessee=lessee.id)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield Live(served.base, served.database_url, ids)


@pytest.fixture(scope="module")
def chromium():
    yield from walks.browser(playwright_api)


@pytest.fixture(params=WALKS)
def walk(request, chromium, live):
    """(a page signed in as the officer, its language, this walk's name)."""
    language, viewport = request.param
    page = walks.open_page(chromium, viewport)
    _sign_in(page, live, language)
    yield page, language, request.node.callspec.id
    page.context.close()


def _sign_in(page, live, language, username="officer-osh"):
    walks.sign_in(page, live.base, username, language)
    page.wait_for_url("**/office/**")


def _session(live):
    engine = make_engine(live.database_url, poolclass=sa.pool.NullPool)
    return engine, so.Session(engine)


def test_an_officer_signs_in_and_sees_the_workspace(walk, live):
    page, language, _ = walk
    assert page.locator("h1").inner_text() == said(language, "Officer workspace")
    checked(page, language, "home")
    page.click("nav.site-nav a.nav-parcels")
    page.wait_for_url("**/office/parcels/")
    assert page.locator("tr.record-row").count() == 6
    checked(page, language, "parcels")
    page.click("nav.site-nav a.office-link")
    page.wait_for_url("**/office/")


def test_drawing_a_parcel_and_saving_it(walk, live):
    page, language, name = walk
    bare = live.ids[name]
    page.goto(f"{live.base}/office/parcels/{bare}/map?lang={language}")
    checked(page, language, "editor")
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
    assert page.inner_text("#shape-status") == said(language, "Saved.")
    assert page.inner_text("#measured-area") not in ("", "—")
    checked(page, language, "saved")
    # Whether the drawn square covers a neighbour depends on the map's pixel scale, which
    # varies with the browser under load; the overlap warning itself is proved against the
    # API in tests/office/test_parcel_map.py and tests/api.
    engine, session = _session(live)
    with session:
        parcel = session.get(m.Parcel, bare)
        assert parcel.geom is not None and parcel.measured_area > 0
    engine.dispose()


def test_creating_a_contract(walk, live):
    page, language, name = walk
    number = f"ОШ-2026-0500-{name}"
    page.goto(f"{live.base}/office/contracts/new?lang={language}")
    page.fill("#f-number", number)
    page.fill("#f-lessee_id", str(live.ids["lessee"]))
    page.fill("#f-start_date", "2026-01-01")
    page.fill("#f-end_date", "2028-12-31")
    page.fill("#f-rent_amount", "12 500,00")
    page.select_option("#f-basis", "auction")
    page.select_option("#f-status", "draft")
    page.locator("input[name=object_ref]").first.fill("5-08-01-0001-0002")
    page.locator("input[name=object_area]").first.fill("1 200,5")
    checked(page, language, "contract form")
    page.click(".record-form button[type=submit]")
    page.wait_for_url("**/office/contracts/*")
    assert number in page.locator("h1").inner_text()
    assert page.locator(".contract-money table.schedule").count() == 1
    objects = page.inner_text(".contract-objects")
    assert "5-08-01-0001-0002" in objects
    # the page shows numbers as its language writes them: 1 200,5
    assert "1\u00a0200,5" in objects or "1 200,5" in objects, objects
    checked(page, language, "contract")


def test_two_officers_editing_one_parcel(walk, chromium, live):
    first, language, name = walk
    second = walks.open_page(chromium, walks.PHONE if "desktop" in name else walks.DESKTOP)
    _sign_in(second, live, language, "officer-two")
    edit = f"{live.base}/office/parcels/{live.ids['shared']}/edit?lang={language}"
    first.goto(edit)
    second.goto(edit)
    checked(first, language, "edit form")
    first.fill("#f-address", f"ул. Ленина, 3 (first, {name})")
    first.click(".record-form button[type=submit]")
    first.wait_for_url(f"**/office/parcels/{live.ids['shared']}")
    second.fill("#f-address", f"ул. Ленина, 3 (second, {name})")
    second.click(".record-form button[type=submit]")
    second.wait_for_selector(".conflict")
    conflict = (
        "Conflict: someone else saved this record after you opened it. Nothing was overwritten."
        " Compare with the saved values below, reload the form and apply your change again."
    )
    assert second.inner_text(".conflict") == said(language, conflict)
    assert f"ул. Ленина, 3 (first, {name})" in second.inner_text(".saved-now")
    # The refusal is answered 409, which Chromium logs; nothing else may be logged.
    assert [m for m in second.console if "409" not in m] == []
    second.console.clear()
    checked(second, language, "conflict")
    engine, session = _session(live)
    with session:
        saved = session.get(m.Parcel, live.ids["shared"]).address
        assert saved == f"ул. Ленина, 3 (first, {name})"
    engine.dispose()
    second.context.close()
