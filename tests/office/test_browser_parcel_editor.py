"""The parcel editor and the record pickers in a real Chromium, every request off this
machine blocked, walked by an officer in Kyrgyz and in Russian on a desktop and on a
390×844 phone: editing an existing (multi)polygon by its vertex handles, the neighbours
drawn while editing, an overlap warned about and confirmed before anything is saved, and
picking a contract's lessee by ИНН and by name and an inspection's parcel by code, by
address and on the map. Every page walked is checked as tests/office/walks.py says
(language, no codes, axe-core, width, console)."""

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
from tests.office.walks import ENGLISH_NUMBER, PASSWORD, WALKS, checked, said

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
LON, LAT = f.OSH
#: About 47 m of longitude at Osh: squares of 40 m this far apart leave a 7 m gap.
STEP = 0.0006
#: How far apart (about 440 m) the parcels of each walk that saves a shape lie.
APART = 0.004
MARKUP = "<img src=x onerror=window.__xss=1>"


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
        # Each walk saves over a parcel and its east neighbour of its own.
        for n, walk in enumerate(WALKS):
            lat = LAT - APART * n
            target = f.parcel(
                session,
                osh,
                shape=f.square(LON, lat, 40),
                ident_code=f"5-08-01-000{n + 2}-0001",
                address=f"ул. Ленина, {2 * n + 1}",
            )
            east = f.parcel(
                session,
                osh,
                shape=f.square(LON + STEP, lat, 40),
                ident_code=f"5-08-01-000{n + 2}-0002",
                address=f"ул. Ленина, {2 * n + 2}",
            )
            ids[walk.id] = (target.id, east.id)
        f.parcel(
            session,
            osh,
            shape=f.square(LON, LAT + STEP * 0.76, 40),
            ident_code=MARKUP,
            address="<script>window.__xss=1</script>",
        )
        lessee = f.lessee(session, osh, name="ОсОО «Кут»", inn="01234567890123")
        ids.update(lessee=lessee.id)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield Live(served.base, served.database_url, ids)


@pytest.fixture(scope="module")
def chromium():
    yield from walks.browser(playwright_api)


@dataclass(frozen=True)
class Walk:
    page: object
    language: str
    #: This walk's own parcels: their place (south of the first by APART each), the
    #: parcel edited and its east neighbour.
    n: int
    target: int
    east: int


@pytest.fixture(params=WALKS)
def walk(request, chromium, live):
    """The officer signed in, in this walk's language and window."""
    language, viewport = request.param
    page = walks.open_page(chromium, viewport)
    walks.sign_in(page, live.base, "officer-osh", language)
    page.wait_for_url("**/office/")
    n = [w.id for w in WALKS].index(request.node.callspec.id)
    yield Walk(page, language, n, *live.ids[request.node.callspec.id])
    page.context.close()


def _parcel(live, record_id):
    engine = make_engine(live.database_url, poolclass=sa.pool.NullPool)
    with so.Session(engine) as session:
        parcel = session.get(m.Parcel, record_id)
        found = (parcel.version, float(parcel.measured_area or 0))
    engine.dispose()
    return found


def _screen_point(page, lat, lon):
    """Where (lat, lon) is on the screen, in the editor's map."""
    box = page.locator(".folium-map").bounding_box()
    point = page.evaluate(f"window.officeEditor.map.latLngToContainerPoint([{lat}, {lon}])")
    return box["x"] + point["x"], box["y"] + point["y"]


def _editor(page, live, record_id, language):
    page.goto(f"{live.base}/office/parcels/{record_id}/map?lang={language}")
    page.locator("#parcel-editor[data-neighbours]").wait_for(state="attached")


def test_an_existing_polygon_is_edited_by_its_vertex_handles(walk, live):
    page, language, target = walk.page, walk.language, walk.target
    _editor(page, live, target, language)
    checked(page, language, "editor")
    # The coordinate systems a file may be in are named in the page's language.
    systems = page.locator("#shape-upload select[name=crs]").inner_text()
    assert "zone" not in systems and "longitude" not in systems, systems
    zoom_in = page.locator(".leaflet-control-zoom-in").get_attribute("title")
    assert zoom_in == said(language, "Zoom in") != "Zoom in", zoom_in
    page.locator(".leaflet-draw-edit-edit").click()
    # A square has four corners; Leaflet.draw adds a middle handle on each side.
    page.locator(".leaflet-editing-icon").first.wait_for()
    assert page.locator(".leaflet-editing-icon").count() == 8
    checked(page, language, "editing the polygon")


def test_neighbours_are_shown_and_an_overlap_is_confirmed_before_saving(walk, live):
    page, language, target = walk.page, walk.language, walk.target
    _editor(page, live, target, language)
    # The neighbours are drawn in grey while the officer works (the east one at least).
    page.locator(".leaflet-neighbours-pane path").first.wait_for()
    before = _parcel(live, target)
    lat = page.evaluate("window.officeEditor.group.getBounds().getCenter().lat")
    # Draw a rectangle from the parcel's south-west corner into the east neighbour.
    page.evaluate("window.officeEditor.map.setZoom(18)")
    page.locator(".leaflet-draw-draw-rectangle").click()
    start = _screen_point(page, lat - 0.00017, LON - 0.0003)
    end = _screen_point(page, lat + 0.00017, LON + STEP)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=5)
    page.mouse.move(*end, steps=5)
    page.mouse.up()
    page.click("#save-shape")
    page.locator("#shape-confirm:not([hidden])").wait_for()
    warned = page.inner_text("#shape-status") + page.inner_text("#shape-warnings")
    assert f"5-08-01-000{walk.n + 2}-0002" in warned
    # The overlapped area is written as the language writes numbers.
    assert not ENGLISH_NUMBER.findall(warned), warned
    assert _parcel(live, target) == before  # nothing saved yet
    checked(page, language, "overlap to confirm")
    page.click("#confirm-save")
    page.locator("#shape-status.saved").wait_for()
    assert page.inner_text("#shape-status") == said(language, "Saved.")
    assert not ENGLISH_NUMBER.findall(page.inner_text("#measured-area"))
    version, area = _parcel(live, target)
    assert version == before[0] + 1 and area > before[1] * 1.5
    checked(page, language, "saved")


def test_a_neighbours_code_is_shown_as_text(chromium, live):
    page = walks.open_page(chromium, walks.DESKTOP)
    walks.sign_in(page, live.base, "officer-osh", "ru")
    page.wait_for_url("**/office/")
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    target = live.ids[WALKS[0].id][0]
    page.goto(f"{live.base}/office/parcels/{target}/map?lang=ru")
    page.locator("#parcel-editor[data-neighbours='2']").wait_for(state="attached")
    x, y = _screen_point(page, LAT + STEP * 0.76, LON)
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y, steps=3)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert MARKUP in tooltip.inner_text()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert not [v for v in violations if "Content Security Policy" in v]
    page.context.close()


def test_a_contracts_lessee_is_picked_by_inn_and_by_name(walk, live):
    page, language = walk.page, walk.language
    page.goto(f"{live.base}/office/contracts/new?lang={language}")
    checked(page, language, "new contract")
    options = page.locator("#f-lessee_id + .picker-list [role=option]")
    page.fill("#f-lessee_id", "0123456789")  # by the start of the ИНН
    options.filter(has_text="ОсОО «Кут»").first.click()
    assert page.input_value("input[name=lessee_id]") == str(live.ids["lessee"])
    page.fill("#f-lessee_id", "Кут")
    option = page.locator("#f-lessee_id + .picker-list [role=option]")
    option.first.wait_for()
    assert option.first.inner_text() == "ОсОО «Кут» (01234567890123)"
    page.keyboard.press("Enter")
    assert page.input_value("input[name=lessee_id]") == str(live.ids["lessee"])
    assert page.input_value("#f-lessee_id") == "ОсОО «Кут» (01234567890123)"
    # A leased object is named by its code: picking one by its address writes the code.
    row = page.locator("input[name=object_ref]").first
    row.fill("Ленина, 2")
    page.locator(".object-row [role=option]").first.wait_for()
    page.keyboard.press("Enter")
    assert row.input_value() == "5-08-01-0002-0002"
    checked(page, language, "lessee and object picked")


def test_an_inspections_parcel_is_picked_by_code_address_and_on_the_map(walk, live):
    page, language = walk.page, walk.language
    page.goto(f"{live.base}/office/inspections/visit?lang={language}")
    checked(page, language, "inspection visit")
    code, address = f"5-08-01-000{walk.n + 2}-0001", f"Ленина, {2 * walk.n + 2}"
    options = page.locator("#f-parcel_id + .picker-list [role=option]")
    page.fill("#f-parcel_id", code)
    options.filter(has_text=code).first.click()
    assert page.input_value("input[name=parcel_id]") == str(walk.target)
    page.fill("#f-parcel_id", address)
    options.filter(has_text=address).first.click()
    assert page.input_value("input[name=parcel_id]") == str(walk.east)
    checked(page, language, "parcel picked by code and by address")
    # And on the map: the parcel edited, west of its neighbour.
    page.click(".picker-map-button >> nth=0")
    page.locator(".picker-map[data-parcels]").first.wait_for()
    lat = LAT - APART * walk.n
    # The map opens on the city's centre; the walk's own parcels lie south of it.
    page.evaluate("delete document.querySelector('.picker-map').dataset.parcels")
    page.evaluate(f"window.officePickerMaps[0].setView([{lat}, {LON + STEP / 2}], 18)")
    page.locator(".picker-map[data-parcels]").first.wait_for()
    box = page.locator(".picker-map").first.bounding_box()
    point = page.evaluate(f"window.officePickerMaps[0].latLngToContainerPoint([{lat}, {LON}])")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.input_value("input[name=parcel_id]") == str(walk.target)
    assert page.inner_text("#f-parcel_id-picked").startswith(code)
    # The map's own controls speak the page's language too.
    zoom_in = page.locator(".picker-map .leaflet-control-zoom-in").get_attribute("title")
    assert zoom_in == said(language, "Zoom in") != "Zoom in", zoom_in
    checked(page, language, "parcel picked on the map")


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_drawing_toolbar_speaks_the_page_language(chromium, live, language):
    page = walks.open_page(chromium, walks.DESKTOP)
    walks.sign_in(page, live.base, "officer-osh", language)
    page.wait_for_url("**/office/")
    target = live.ids[WALKS[0].id][0]
    page.goto(f"{live.base}/office/parcels/{target}/map?lang={language}")
    draw = page.locator(".leaflet-draw-draw-polygon")
    draw.wait_for()
    assert draw.get_attribute("title") == said(language, "Draw a polygon")
    edit = page.locator(".leaflet-draw-edit-edit").get_attribute("title")
    assert edit == said(language, "Edit the shape")
    assert said(language, "Draw a polygon") != "Draw a polygon"
    draw.click()
    assert "Draw a polygon" not in page.inner_text(".leaflet-container")
    checked(page, language, "drawing a polygon")
    page.context.close()
