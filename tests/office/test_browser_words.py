"""In a real Chromium, in Kyrgyz and in Russian, on a desktop and on a 390×844 phone: the
record page and its history, the flag list, a flag, the printable report, the dashboard
and the public card's confirmed problems show words, not codes, and numbers and dates as
the language writes them; each also passes the walks' check (tests/office/walks.py:
axe-core, the width, the console)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.anomalies import scan
from tests import factories as f
from tests.browser import CHROMIUM, launch
from tests.live_server import serving
from tests.office import walks
from tests.office.walks import CODES, WALKS, checked

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
PASSWORD = "correct horse 42"
#: A number written the English way (1,375.5) or a date in ISO form.
ENGLISH_NUMBER = re.compile(r"\b\d{1,3},\d{3}\b|\b\d+\.\d+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    made = {}

    def fill(session):
        osh = f.municipality(session, "osh", name_ky="Ош", name_ru="Ош", name_en="Osh")
        f.user(session, "officer", osh, username="officer-osh", password=PASSWORD)
        f.user(session, "auditor", None, username="a.toktogulova", password=PASSWORD)
        parcel = f.parcel(
            session,
            osh,
            ident_code="5-08-01-0077-0002",
            designated_use=f.use(session, "greening"),
            documented_area=Decimal("1375.5"),
        )
        f.contract(session, parcel, number="ОШ-2026/77", rent_amount=Decimal("36000"))
        f.inspection(session, parcel, observed="catering", inspected_on=dt.date(2026, 6, 9))
        for use in ("industry", "greening"):  # two changes for the history
            session.refresh(parcel)
            parcel.designated_use = f.use(session, use)
            session.flush()
        scan(session, as_of=dt.date(2026, 11, 1), rules=["misuse"])
        flag = session.scalar(sa.select(m.AnomalyFlag).where(m.AnomalyFlag.rule == "misuse"))
        flag.status = m.FlagStatus.CONFIRMED
        made.update(parcel=parcel.id, flag=flag.id)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base, made


def _problems(text: str) -> list[str]:
    found = [c for c in CODES if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)]
    found += ENGLISH_NUMBER.findall(text) + ISO_DATE.findall(text)
    return found


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/auth/login?lang=ru&next=/office/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/office/**")


@pytest.mark.parametrize("walk", WALKS)
def test_the_pages_an_auditor_walks_say_words_and_local_numbers(live, walk):
    base, made = live
    language, viewport = walk
    pages = {
        "record and history": f"/office/parcels/{made['parcel']}",
        "flag list": "/audit/flags",
        "flag": f"/audit/flags/{made['flag']}",
        "printable report": "/audit/flags/report",
        "dashboard": "/audit/dashboard?year=2026",
        "public card": f"/parcels/{made['parcel']}",
    }
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        try:
            page = walks.open_page(chromium, viewport)
            _sign_in(page, base, "a.toktogulova")
            seen = {}
            for name, path in pages.items():
                joiner = "&" if "?" in path else "?"
                page.goto(f"{base}{path}{joiner}lang={language}")
                text = checked(page, language, name)  # and axe-core, the width, the console
                seen[name] = text
                if name == "record and history":  # Leaflet's controls speak the language too
                    page.wait_for_selector(".leaflet-control-zoom-in")
                    zoom_in = page.locator(".leaflet-control-zoom-in").get_attribute("title")
                    assert zoom_in and zoom_in != "Zoom in", zoom_in
                assert not _problems(text), (name, _problems(text))
            # What the walk must have seen, in the reader's words.
            record = seen["record and history"]
            assert "1 375,5" in record.replace("\u00a0", " ")
            assert "Ош" in record
            assert ("2026" in seen["flag"]) and ("июня" in seen["flag"] or "июн" in seen["flag"])
            card = seen["public card"]
            assert ("Общественное питание" in card) or ("Коомдук тамактануу" in card)
        finally:
            chromium.close()
