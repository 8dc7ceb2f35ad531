"""The import wizard in a real Chromium, walked by an officer in Kyrgyz and in Russian on a
desktop and on a 390×844 phone: the officer uploads a register written as offices write
it, sees each value of the file with its row count and the match proposed, picks the one
nothing names, and imports; and a Shapefile without .prj is met with the coordinate
systems that put its rows in the city, named in the page's language. Every page walked is
checked as tests/office/walks.py says (language, no codes, axe-core, width, console).

Set DOCS_SCREENSHOTS=docs to keep the values step's picture as docs/import-values.png
(the README shows it; taken in the Russian desktop walk).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import models as m
from inventory.database.session import make_engine
from inventory.services.geometry import KNOWN_CRS
from tests import factories as f
from tests.browser import CHROMIUM
from tests.live_server import serving
from tests.office import files, walks
from tests.office.test_import_safety import without_prj
from tests.office.walks import PASSWORD, WALKS, checked, said

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
    pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning"),
]
REGISTER = [
    [
        "5-08-01-0051-0001",
        "ул. Курманжан Датки, 12",
        "Земли населённых пунктов",
        "Общепит",
        "в аренде",
    ],
    ["5-08-01-0051-0002", "ул. Курманжан Датки, 14", "ЗНП", "ИЖС", "свободен"],
    ["5-08-01-0051-0003", "ул. Ленина, 201", "Земли населённых пунктов", "Озеленение", "Свободен"],
    ["5-08-01-0051-0004", "ул. Ленина, 203", "Земли населённых пунктов", "Торговля", "в аренде"],
    ["5-08-01-0051-0005", "ул. Масалиева, 7", "Земли населённых пунктов", "шашлычная", "занят"],
    [
        "5-08-01-0051-0006",
        "ул. Масалиева, 9",
        "земли населенных пунктов",
        "Автостоянка",
        "в аренде",
    ],
]


HEADER = [
    "Кад. номер",
    "Адрес (местоположение)",
    "Категория земель",
    "Целевое назначение",
    "Статус",
]


def _code(n: int, row: int) -> str:
    """Walk n's parcel of the register's row (1..6)."""
    return f"5-08-01-005{n}-000{row}"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    def fill(session):
        osh = f.municipality(session, "osh", name_ky="Ош", name_ru="Ош")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base, served.database_url


@pytest.fixture(scope="module")
def chromium():
    yield from walks.browser(playwright_api)


@pytest.fixture(params=WALKS)
def walk(request, chromium, live):
    """(the officer's page signed in on the import page, its language, walk number)."""
    base, _ = live
    language, viewport = request.param
    page = walks.open_page(chromium, viewport)
    walks.sign_in(page, base, "officer-osh", language, then="/office/import")
    page.wait_for_url("**/office/import")
    yield page, language, request.param_index
    page.context.close()


def _upload(page, path):
    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=kind]", "parcels")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/office/import/*")


def test_an_officer_maps_the_values_of_a_register_and_imports_it(walk, live, tmp_path):
    page, language, n = walk
    base, url = live
    # Each walk's own word nothing names (the first walk's is remembered once chosen).
    eatery = ("шашлычная", "лагманная", "самсаная", "пельменная")[n]
    rows = [[_code(n, i), *row[1:]] for i, row in enumerate(REGISTER, 1)]
    rows[4][3] = eatery
    register = files.xlsx(tmp_path, "реестр участков.xlsx", HEADER, rows)
    checked(page, language, "start")
    _upload(page, register)
    checked(page, language, "columns")
    page.click("button[value=values]")
    page.wait_for_url("**/values")
    checked(page, language, "values")
    uses = page.locator('table[data-field="designated_use"] tbody tr')
    assert uses.count() == 6
    eatery_row = uses.filter(has=page.locator("td:first-child", has_text=eatery))
    if n == 0:  # nothing remembered yet: the values nothing names come first
        assert uses.first.locator("td").first.inner_text() == eatery
    assert eatery_row.locator("select").input_value() == ""
    statuses = page.locator('table[data-field="status"] tbody tr')
    taken = statuses.filter(has=page.locator("td:first-child", has_text="занят"))
    if n == 0:
        assert statuses.first.locator("td").first.inner_text() == "занят"
    leased = statuses.filter(has=page.locator("td:first-child", has_text="в аренде"))
    assert leased.locator("td").nth(1).inner_text() == "3"
    eatery_row.locator("select").select_option("catering")
    eatery_row.locator("input[type=checkbox]").check()
    taken.locator("select").select_option("leased")
    if os.environ.get("DOCS_SCREENSHOTS") and WALKS[n].id == "ru-desktop":
        folder = Path(os.environ["DOCS_SCREENSHOTS"])
        page.screenshot(path=str(folder / "import-values.png"), full_page=True)
    page.click("button[value=dry_run]")
    page.wait_for_selector("button[value=commit]")
    checked(page, language, "dry run")
    page.click("button[value=commit]")
    page.wait_for_selector(".import-report")
    checked(page, language, "imported")
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with so.Session(engine) as session:
        parcels = session.scalars(
            sa.select(m.Parcel).where(m.Parcel.ident_code.like(f"5-08-01-005{n}-%"))
        ).all()
        assert len(parcels) == 6
        statuses = {p.ident_code[-1]: p.status for p in parcels}
        assert statuses["5"] == m.ParcelStatus.LEASED and statuses["2"] == m.ParcelStatus.FREE
    engine.dispose()


def test_a_shapefile_without_prj_is_offered_the_systems_that_fit_in_its_language(walk, tmp_path):
    page, language, n = walk
    rows = [{"Идентификационный код": _code(n, 7), "Адрес": "ул. Ленина, 205"}]
    _upload(page, without_prj(files.shapefile_zip(tmp_path, rows, crs=7693)))
    text = checked(page, language, "coordinate system")
    offered = page.locator("form.import-crs input[name=crs]")
    assert offered.first.get_attribute("value") == "7693" and offered.first.is_checked()
    choice = page.locator("form.import-crs fieldset").inner_text()
    assert said(language, KNOWN_CRS[7693]) in choice, choice
    assert "zone" not in text and "longitude" not in text and " rows" not in text, text


@pytest.mark.parametrize("form", ["import-mapping", "import-values"])
def test_the_progress_of_a_long_import_counts_as_the_page_writes_numbers(walk, tmp_path, form):
    # On the columns step and on the values step, whose buttons both run the dry run and
    # the import. The page's own submit listener is started as a click on "Dry run"
    # starts it, but without sending the form (a submit event dispatched by a script
    # sends nothing), and the progress it polls is that of a register of 12,500 rows,
    # 10,000 of them checked and written.
    page, language, n = walk
    rows = [{"Идентификационный код": _code(n, 8), "Адрес": "ул. Ленина, 207"}]
    _upload(page, files.xlsx(tmp_path, "реестр.xlsx", list(rows[0]), [list(rows[0].values())]))
    step = page.url.split("?")[0]
    if form == "import-values":
        page.click("form.import-mapping button[value=values]", timeout=30_000)
        page.wait_for_url(f"{step}/values**", timeout=30_000)
    state = {"steps": {"read": 12500, "checked": 10000, "written": 10000}, "total": 12500}
    page.route(
        f"{step}/progress", lambda route: route.fulfill(json={**state, "at": time.time() + 60})
    )
    page.evaluate(
        """() => {
        const form = document.querySelector("form.import-mapping, form.import-values");
        const submitter = form.querySelector("button[value=dry_run]");
        form.dispatchEvent(new SubmitEvent("submit", {submitter, cancelable: true}));
    }"""
    )
    shown = page.locator(".import-progress")
    expected = {"en": "10,000 / 12,500"}.get(language, "10 000 / 12 500")
    deadline = time.monotonic() + 15
    text = ""
    while time.monotonic() < deadline:
        text = shown.inner_text().replace("\u00a0", " ").replace("\u202f", " ")
        if "12 500" in text or "12,500" in text or "12500" in text:
            break
        page.wait_for_timeout(200)
    assert text.count(expected) == 2, text  # checked and written
    assert said(language, "Rows written") in text, text
