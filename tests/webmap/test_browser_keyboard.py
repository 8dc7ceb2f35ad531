"""The public map with the keyboard only, in a real Chromium, on a desktop and a 390×844
phone, in Kyrgyz and in Russian: Tab to "Parcels in view", Enter opens the list, Tab and
Enter open the card of the parcel at the map's centre with the focus in it, Esc closes it
and the focus comes back to its button; the same card a link to it opens; a search
result opens its card the same way. No mouse, no console error, and axe-core
(tests/vendor/axe-core) finds no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

import shutil

import pytest

from inventory import models as m
from tests import factories as f
from tests.browser import (
    CHROMIUM,
    browser,
    open_page,
    scrolls_sideways,
    serious_violations,
)
from tests.live_server import serving
from tests.webmap.conftest import COMPANY_NAME, PRIVATE_NAME

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: The map opens here, on the centre of the company's parcel.
LON, LAT = 72.8000, 40.5300
CENTRE_CODE = "5-08-01-0009-0001"
SEARCHED_CODE = "5-08-01-0009-0005"
VIEW = f"#map=18/{LAT:.5f}/{LON:.5f}"
#: The most Tab presses from the top of the page to any control of the map's panel.
MAX_TABS = 60


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A leased parcel at the view's centre (a company's), one leased to a private person
    beside it, and parcels of every status around them."""

    def fill(session):
        osh = f.municipality(session, "osh", name_ru="Ош", name_ky="Ош")
        company = f.lessee(session, osh, name=COMPANY_NAME, inn="01234567890123")
        person = f.lessee(session, osh, kind=m.LesseeKind.INDIVIDUAL, name=PRIVATE_NAME)
        centre = f.parcel(
            session,
            osh,
            shape=f.square(LON, LAT, 30),
            ident_code=CENTRE_CODE,
            address="ул. Курманжан Датки, 9",
            status=m.ParcelStatus.LEASED,
        )
        f.contract(session, centre, lessee=company)
        private = f.parcel(
            session,
            osh,
            shape=f.square(LON + 0.0005, LAT, 30),
            ident_code="5-08-01-0009-0002",
            address="ул. Масалиева, 3",
            status=m.ParcelStatus.LEASED,
        )
        f.contract(session, private, lessee=person)
        statuses = list(m.ParcelStatus)
        for n, (dx, dy) in enumerate([(-0.0005, 0), (0, 0.0004), (0, -0.0004), (0.0005, 0.0004)]):
            f.parcel(
                session,
                osh,
                shape=f.square(LON + dx, LAT + dy, 30),
                ident_code=f"5-08-01-0009-{n + 3:04d}",
                address=f"мкр. Анар, {n + 3}",
                status=statuses[n % len(statuses)],
            )

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base


@pytest.fixture(scope="module")
def chromium():
    yield from browser(playwright_api)


def _focused(page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def _tab_to(page, selector: str, key: str = "Tab") -> None:
    """Press Tab (or `key`) until the focus is on `selector`; fail after MAX_TABS presses."""
    for _ in range(MAX_TABS):
        if _focused(page, selector):
            return
        page.keyboard.press(key)
    assert _focused(page, selector), f"{key} never reached {selector}"


def _card_has_focus(page):
    page.wait_for_function(
        "() => !!document.activeElement && !!document.activeElement.closest('.parcel-popup')"
    )
    return page.locator(".leaflet-popup-content .parcel-popup")


def _violations(page) -> list[str]:
    """axe-core's serious findings once the card has faded in (Leaflet fades a popup in:
    half-way, its text is pale and axe would measure that)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.leaflet-popup')]"
        ".every(p => getComputedStyle(p).opacity === '1')"
    )
    return serious_violations(page)


def _card_closed_and_focus_on(page, selector: str):
    page.wait_for_function(
        "s => !document.querySelector('.leaflet-popup')"
        " && !!document.activeElement && document.activeElement.matches(s)",
        arg=selector,
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_keyboard_user_opens_and_closes_a_parcels_card(live, chromium, language, viewport):
    page = open_page(chromium, viewport)
    page.goto(f"{live}/?lang={language}{VIEW}")
    page.wait_for_function("!!window.publicMap")

    # The list of parcels in view: Tab to it, Enter opens it, the centre's parcel first.
    _tab_to(page, ".map-in-view summary")
    page.keyboard.press("Enter")
    first = page.locator(".map-in-view-parcel").first
    first.wait_for()
    assert CENTRE_CODE in first.inner_text()
    parcel_id = first.get_attribute("data-parcel")
    assert PRIVATE_NAME not in page.content()
    page.keyboard.press("Tab")
    assert _focused(page, f'.map-in-view-parcel[data-parcel="{parcel_id}"]')

    page.keyboard.press("Enter")
    card = _card_has_focus(page)
    text = card.inner_text()
    assert CENTRE_CODE in text and COMPANY_NAME in text
    page.wait_for_function("id => location.hash.includes('parcel=' + id)", arg=parcel_id)
    link = page.evaluate("location.hash")
    assert _violations(page) == [], "card opened from the list"
    assert not scrolls_sideways(page), "card opened from the list"

    page.keyboard.press("Escape")
    _card_closed_and_focus_on(page, f'.map-in-view-parcel[data-parcel="{parcel_id}"]')
    assert "parcel=" not in page.evaluate("location.hash")
    page.keyboard.press(" ")  # Space opens it too
    assert _card_has_focus(page).inner_text() == text
    page.keyboard.press("Escape")
    _card_closed_and_focus_on(page, f'.map-in-view-parcel[data-parcel="{parcel_id}"]')

    # Search: type, Enter, Tab to the result, Enter opens its card; Esc back to the box.
    _tab_to(page, "#map-search-q", "Shift+Tab")
    page.keyboard.type(SEARCHED_CODE)
    page.keyboard.press("Enter")
    page.locator(".map-result").first.wait_for()
    _tab_to(page, ".map-result")
    page.keyboard.press("Enter")
    assert SEARCHED_CODE in _card_has_focus(page).inner_text()
    assert _violations(page) == [], "card opened from a search result"
    assert not scrolls_sideways(page), "card opened from a search result"
    page.keyboard.press("Escape")
    _card_closed_and_focus_on(page, "#map-search-q")
    assert page.console == [] and page.errors == []

    # The card the keyboard opened is the one its link opens.
    again = open_page(chromium, viewport)
    again.goto(f"{live}/?lang={language}{link}")
    restored = again.locator(".leaflet-popup-content .parcel-popup")
    restored.wait_for()
    assert restored.inner_text() == text
    assert again.console == [] and again.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_enter_on_the_map_opens_the_parcel_under_the_centre_cross(
    live, chromium, language, viewport
):
    page = open_page(chromium, viewport)
    page.goto(f"{live}/?lang={language}{VIEW}")
    page.wait_for_function("!!window.publicMap")
    _tab_to(page, ".leaflet-container")
    cross = page.evaluate(
        "getComputedStyle(document.querySelector('.leaflet-container'), '::after').content"
    )
    assert cross not in ("none", "normal")
    assert page.get_attribute(".leaflet-container", "aria-describedby") == "map-keys"
    assert "Enter" in page.locator("#map-keys").text_content()

    page.keyboard.press("Enter")
    card = _card_has_focus(page)
    text = card.inner_text()
    assert CENTRE_CODE in text and COMPANY_NAME in text
    assert _violations(page) == [], "card opened from the map's centre"
    assert not scrolls_sideways(page), "card opened from the map's centre"
    page.keyboard.press("Escape")
    _card_closed_and_focus_on(page, ".leaflet-container")

    # Moved north off every parcel with the arrow keys, Enter says so and opens nothing.
    for _ in range(3):  # Leaflet ignores a key pressed while the map still glides
        page.evaluate(
            "window.moved = false; window.publicMap.once('moveend', () => { window.moved = true; })"
        )
        page.keyboard.press("Shift+ArrowUp")
        page.wait_for_function("window.moved")
    assert page.evaluate("window.publicMap.getCenter().lat") > LAT + 0.001
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.map-centre-status').textContent !== ''")
    assert page.locator(".leaflet-popup").count() == 0
    assert _focused(page, ".leaflet-container")
    assert page.console == [] and page.errors == []
