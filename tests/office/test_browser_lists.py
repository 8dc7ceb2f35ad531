"""Lists, the archive, exports and flags in a real Chromium, walked by an officer in
Kyrgyz and in Russian on a desktop and on a 390×844 phone: an archived parcel is found by
the list's filter and restored; the filtered list is exported to CSV and to Excel as it
is filtered, and every other list is reached by the navigation and exported whole; a
flag links to its parcel and the parcel back to the flag; and once an
earlier version of a redrawn parcel is restored, the editor's map shows the restored
shape at once. Every page walked is checked as tests/office/walks.py says (language, no
codes, axe-core, width, console)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from inventory import models as m
from inventory.services import geometry as geo
from inventory.services.anomalies import scan
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
LON, LAT = f.OSH


def _code(n: int, what: int) -> str:
    """Walk n's parcels: 1 free, 2 reserved, 3 archived, 4 redrawn."""
    return f"5-08-02-000{n}-000{what}"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    ids: dict = {}

    def fill(session):
        osh = f.municipality(session, "osh", name_ky="Ош", name_ru="Ош")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)
        for n, walk in enumerate(WALKS):
            lat = LAT - 0.004 * n
            f.parcel(session, osh, ident_code=_code(n, 1), status=m.ParcelStatus.FREE)
            f.parcel(session, osh, ident_code=_code(n, 2), status=m.ParcelStatus.RESERVED)
            used = {"status": m.ParcelStatus.MUNICIPAL_USE}
            gone = f.parcel(session, osh, ident_code=_code(n, 3), **used)
            gone.archived_at = sa.func.now()
            redrawn = f.parcel(
                session, osh, shape=f.square(LON, lat, 30), ident_code=_code(n, 4), **used
            )
            session.flush()
            session.refresh(redrawn)
            redrawn.geom = geo.to_db(geo.as_multipolygon(f.square(LON + 0.001, lat, 60)))
            session.flush()
            ids[walk.id] = {"gone": gone.id, "redrawn": redrawn.id, "lat": lat}
        misused = f.parcel(
            session, osh, ident_code="5-08-02-0099-0001", designated_use=f.use(session, "industry")
        )
        f.inspection(session, misused, observed="catering", inspected_on=dt.date(2026, 6, 9))
        f.building(session, misused)
        f.payment(session, f.contract(session, misused))
        scan(session, as_of=dt.date(2026, 11, 1), rules=["misuse"])
        flag = session.scalar(sa.select(m.AnomalyFlag).where(m.AnomalyFlag.rule == "misuse"))
        ids.update(misused=misused.id, flag=flag.id)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base, ids


@pytest.fixture(scope="module")
def chromium():
    yield from walks.browser(playwright_api)


@pytest.fixture(params=WALKS)
def walk(request, chromium, live):
    """(a page signed in as the officer, its language, this walk's number and records)."""
    base, ids = live
    language, viewport = request.param
    page = walks.open_page(chromium, viewport)
    walks.sign_in(page, base, "officer-osh", language)
    page.wait_for_url("**/office/")
    n = [w.values[0] for w in WALKS].index(request.param)
    yield page, language, n, ids[WALKS[n].id]
    page.context.close()


def _filter(page, **chosen):
    """Fill the list's filter form (its fields by name) and apply it."""
    form = page.locator("form.office-filter")
    for name, value in chosen.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_an_archived_parcel_is_found_by_the_filter_and_restored(walk, live):
    page, language, n, mine = walk
    base, _ = live
    page.click("nav.site-nav a.nav-parcels")
    page.wait_for_url("**/office/parcels/")
    assert _code(n, 3) not in page.locator("table.office-list").inner_text()
    checked(page, language, "parcels")
    _filter(page, archived="only")
    rows = page.locator("tr.record-row", has_text=_code(n, 3))
    assert rows.locator(".archived").inner_text() == f"({said(language, 'archived')})"
    assert _code(n, 1) not in page.locator("table.office-list").inner_text()
    checked(page, language, "archived parcels")
    rows.locator("a").first.click()
    page.wait_for_url(f"**/office/parcels/{mine['gone']}")
    checked(page, language, "archived parcel")
    page.click("form.unarchive-form button[type=submit]")
    page.wait_for_url(f"**/office/parcels/{mine['gone']}")
    assert page.locator("form.unarchive-form").count() == 0
    done = said(language, "Restored from the archive: the record is back in the lists.")
    assert page.locator(".flash").inner_text().strip() == done
    checked(page, language, "restored parcel")
    page.goto(f"{base}/office/parcels/?q={_code(n, 3)}")
    assert page.locator("tr.record-row").count() == 1


def test_the_filtered_list_is_exported_as_filtered(walk, live):
    page, language, n, _ = walk
    page.click("nav.site-nav a.nav-parcels")
    page.wait_for_url("**/office/parcels/")
    _filter(page, q=f"5-08-02-000{n}-", status="free")
    assert page.locator("tr.record-row").count() == 1
    checked(page, language, "filtered parcels")
    links = page.locator("p.exports a")
    with page.expect_download() as got:
        links.nth(0).click()
    with open(got.value.path(), encoding="utf-8-sig") as saved:
        rows = list(csv.DictReader(saved))
    assert [r["ident_code"] for r in rows] == [_code(n, 1)]
    assert rows[0]["status_label"] not in ("", "free") and rows[0]["municipality_label"] == "Ош"
    with page.expect_download() as got:
        links.nth(1).click()
    assert got.value.suggested_filename.endswith(".xlsx")
    with open(got.value.path(), "rb") as saved:
        book = load_workbook(io.BytesIO(saved.read()))
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert len(values) == 2 and _code(n, 1) in values[1]
    assert page.console == [] and page.errors == []


def test_every_list_is_reached_by_the_navigation_and_exported_whole(walk, live):
    page, language, _, _ = walk
    for kind in ("buildings", "lessees", "contracts", "payments", "inspections"):
        page.click(f"nav.site-nav a.nav-{kind}")
        page.wait_for_url(f"**/office/{kind}/")
        checked(page, language, kind)
        shown = page.locator("tr.record-row").count()
        assert shown >= 1, kind
        with page.expect_download() as got:
            page.locator("p.exports a").nth(0).click()
        with open(got.value.path(), encoding="utf-8-sig") as saved:
            assert len(list(csv.DictReader(saved))) == shown, kind


def test_a_flag_links_to_its_parcel_and_back(walk, live):
    page, language, _, _ = walk
    base, ids = live
    page.click("nav.site-nav a.nav-flags")
    page.wait_for_url("**/audit/flags")
    checked(page, language, "flags")
    page.click(f"table.flags tbody a[href$='/audit/flags/{ids['flag']}']")
    page.wait_for_url(f"**/audit/flags/{ids['flag']}")
    checked(page, language, "flag")
    page.click(f"main a[href='/office/parcels/{ids['misused']}']")
    page.wait_for_url(f"**/office/parcels/{ids['misused']}")
    checked(page, language, "flagged parcel")
    page.click(f".record-flags a[href='/audit/flags/{ids['flag']}']")
    page.wait_for_url(f"**/audit/flags/{ids['flag']}")


def test_a_restored_shape_is_on_the_editors_map_at_once(walk, live):
    page, language, _, mine = walk
    base, _ = live
    record = f"{base}/office/parcels/{mine['redrawn']}"
    page.goto(f"{record}/map?lang={language}")
    page.locator(".leaflet-interactive").first.wait_for()
    west = "window.officeEditor.group.getBounds().getWest()"
    assert page.evaluate(west) > LON  # the redrawn square lies east of the first one
    page.goto(record)
    checked(page, language, "redrawn parcel")
    # The oldest version (the parcel as created) is the last row of the history.
    page.locator(".history tr.change").last.locator("button[type=submit]").click()
    page.wait_for_url(f"**/office/parcels/{mine['redrawn']}")
    done = said(language, "The earlier version was restored as a new change.")
    assert page.locator(".flash").inner_text().strip() == done
    checked(page, language, "restored version")
    page.goto(f"{record}/map?lang={language}")
    page.locator(".leaflet-interactive").first.wait_for()
    assert page.evaluate(west) < LON < page.evaluate(west.replace("West", "East"))
    checked(page, language, "editor after the restore")
