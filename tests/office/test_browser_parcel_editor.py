"""The parcel editor and the record pickers in a real Chromium, every request off this
machine blocked: editing an existing (multi)polygon by its vertex handles, the
neighbours drawn while editing, an overlap warned about and confirmed before anything is
saved, and picking a contract's lessee by name and an inspection's parcel on the map."""

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
LON, LAT = f.OSH
#: About 47 m of longitude at Osh: squares of 40 m this far apart leave a 7 m gap.
STEP = 0.0006
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
        osh = f.municipality(session, "osh")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)
        target = f.parcel(
            session,
            osh,
            shape=f.square(LON, LAT, 40),
            ident_code="5-08-01-0002-0001",
            address="ул. Ленина, 1",
        )
        east = f.parcel(
            session,
            osh,
            shape=f.square(LON + STEP, LAT, 40),
            ident_code="5-08-01-0002-0002",
            address="ул. Ленина, 2",
        )
        f.parcel(
            session,
            osh,
            shape=f.square(LON, LAT + STEP * 0.76, 40),
            ident_code=MARKUP,
            address="<script>window.__xss=1</script>",
        )
        lessee = f.lessee(session, osh, name="ОсОО «Кут»", inn="01234567890123")
        ids.update(target=target.id, east=east.id, lessee=lessee.id)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield Live(served.base, served.database_url, ids)


@pytest.fixture()
def page(live):
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        context = chromium.new_context(viewport={"width": 1200, "height": 900})
        tab = offline(context.new_page())
        tab.goto(f"{live.base}/auth/login?lang=en&next=/office/")
        tab.fill("input[name=username]", "officer-osh")
        tab.fill("input[name=password]", PASSWORD)
        tab.click("form button[type=submit]")
        tab.wait_for_url("**/office/**")
        yield tab
        chromium.close()


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


def test_an_existing_polygon_is_edited_by_its_vertex_handles(page, live):
    page.goto(f"{live.base}/office/parcels/{live.ids['target']}/map?lang=en")
    page.locator(".leaflet-draw-edit-edit").click()
    # A square has four corners; Leaflet.draw adds a middle handle on each side.
    page.locator(".leaflet-editing-icon").first.wait_for()
    assert page.locator(".leaflet-editing-icon").count() == 8
    assert page.errors == [] and page.blocked == []


def test_neighbours_are_shown_and_an_overlap_is_confirmed_before_saving(page, live):
    page.goto(f"{live.base}/office/parcels/{live.ids['target']}/map?lang=en")
    page.locator("#parcel-editor[data-neighbours='2']").wait_for()
    before = _parcel(live, live.ids["target"])
    # Draw a rectangle from the parcel's south-west corner into the east neighbour.
    page.evaluate("window.officeEditor.map.setZoom(18)")
    page.locator(".leaflet-draw-draw-rectangle").click()
    start = _screen_point(page, LAT - 0.00017, LON - 0.0003)
    end = _screen_point(page, LAT + 0.00017, LON + STEP)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=5)
    page.mouse.move(*end, steps=5)
    page.mouse.up()
    page.click("#save-shape")
    page.locator("#shape-confirm:not([hidden])").wait_for()
    assert "5-08-01-0002-0002" in page.inner_text("#shape-warnings")
    assert "overlaps 1 neighbouring parcels" in page.inner_text("#shape-status")
    assert _parcel(live, live.ids["target"]) == before  # nothing saved yet
    page.click("#confirm-save")
    page.locator("#shape-status.saved").wait_for()
    version, area = _parcel(live, live.ids["target"])
    assert version == before[0] + 1 and area > before[1] * 1.5
    assert page.errors == [] and page.blocked == []


def test_a_neighbours_code_is_shown_as_text(page, live):
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(f"{live.base}/office/parcels/{live.ids['target']}/map?lang=en")
    page.locator("#parcel-editor[data-neighbours='2']").wait_for()
    x, y = _screen_point(page, LAT + STEP * 0.76, LON)
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y, steps=3)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert MARKUP in tooltip.inner_text()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert not [v for v in violations if "Content Security Policy" in v]


def test_a_contracts_lessee_is_picked_by_name(page, live):
    page.goto(f"{live.base}/office/contracts/new?lang=en")
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
    assert page.errors == [] and page.blocked == []


def test_an_inspections_parcel_is_picked_on_the_map(page, live):
    page.goto(f"{live.base}/office/inspections/visit?lang=en")
    page.click(".picker-map-button >> nth=0")
    page.locator(".picker-map[data-parcels]").first.wait_for()
    box = page.locator(".picker-map").first.bounding_box()
    point = page.evaluate(
        f"window.officePickerMaps[0].latLngToContainerPoint([{LAT}, {LON + STEP}])"
    )
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.input_value("input[name=parcel_id]") == str(live.ids["east"])
    assert page.inner_text("#f-parcel_id-picked").startswith("5-08-01-0002-0002")
    assert page.errors == [] and page.blocked == []


@pytest.mark.parametrize(
    "language, polygon, edit", [("ru", "Нарисовать многоугольник", "Изменить контур")]
)
def test_the_drawing_toolbar_speaks_the_page_language(page, live, language, polygon, edit):
    page.goto(f"{live.base}/office/parcels/{live.ids['target']}/map?lang={language}")
    draw = page.locator(".leaflet-draw-draw-polygon")
    draw.wait_for()
    assert draw.get_attribute("title") == polygon
    assert page.locator(".leaflet-draw-edit-edit").get_attribute("title") == edit
    draw.click()
    assert "Draw a polygon" not in page.inner_text(".leaflet-container")
    assert page.errors == [] and page.blocked == []
