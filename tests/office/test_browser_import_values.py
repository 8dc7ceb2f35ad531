"""The import wizard's values step in a real Chromium: an officer uploads a register
written as offices write it, sees each value of the file with its row count and the match
proposed, picks the one nothing names, and imports.

Set DOCS_SCREENSHOTS=docs to keep the step's picture as docs/import-values.png (the
README shows it).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import models as m
from inventory.database.session import make_engine
from tests import factories as f
from tests.browser import CHROMIUM, launch, offline
from tests.live_server import serving
from tests.office import files

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
PASSWORD = "correct horse 42"
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


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    def fill(session):
        osh = f.municipality(session, "osh")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base, served.database_url


def test_an_officer_maps_the_values_of_a_register_and_imports_it(live, tmp_path):
    base, url = live
    register = files.xlsx(
        tmp_path,
        "реестр участков.xlsx",
        [
            "Кад. номер",
            "Адрес (местоположение)",
            "Категория земель",
            "Целевое назначение",
            "Статус",
        ],
        REGISTER,
    )
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        try:
            context = chromium.new_context(viewport={"width": 1200, "height": 1100}, locale="ru-RU")
            context.set_default_timeout(30_000)
            page = offline(context.new_page())
            page.goto(f"{base}/auth/login?lang=ru&next=/office/import")
            page.fill("input[name=username]", "officer-osh")
            page.fill("input[name=password]", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url("**/office/import")
            page.set_input_files("input[name=file]", str(register))
            page.select_option("select[name=kind]", "parcels")
            page.click("main form button[type=submit]")
            page.wait_for_url("**/office/import/*")
            page.click("button[value=values]")
            page.wait_for_url("**/values")
            uses = page.locator('table[data-field="designated_use"] tbody tr')
            assert uses.count() == 6
            assert uses.first.locator("td").first.inner_text() == "шашлычная"
            assert uses.first.locator("select").input_value() == ""
            statuses = page.locator('table[data-field="status"] tbody tr')
            assert statuses.first.locator("td").first.inner_text() == "занят"
            assert statuses.nth(1).locator("td").nth(1).inner_text() == "3"
            uses.first.locator("select").select_option("catering")
            uses.first.locator("input[type=checkbox]").check()
            statuses.first.locator("select").select_option("leased")
            if os.environ.get("DOCS_SCREENSHOTS"):
                folder = Path(os.environ["DOCS_SCREENSHOTS"])
                page.screenshot(path=str(folder / "import-values.png"), full_page=True)
            page.click("button[value=dry_run]")
            page.wait_for_selector("button[value=commit]")
            page.click("button[value=commit]")
            page.wait_for_selector(".import-report")
            assert page.errors == [] and page.blocked == []
        finally:
            chromium.close()
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with so.Session(engine) as session:
        parcels = session.scalars(
            sa.select(m.Parcel).where(m.Parcel.ident_code.like("5-08-01-0051-%"))
        ).all()
        assert len(parcels) == 6
        statuses = {p.ident_code[-1]: p.status for p in parcels}
        assert statuses["5"] == m.ParcelStatus.LEASED and statuses["2"] == m.ParcelStatus.FREE
    engine.dispose()
