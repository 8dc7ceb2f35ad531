"""Officers and auditors read words, not codes, and numbers and dates as their language
writes them; lists find archived records, bring them back and export what they show; a
flag and its records link to each other; an officer's map tiles are never stale."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from inventory import models as m
from inventory.services.anomalies import scan
from tests import factories as f

#: Codes that must never reach a reader of a page.
CODES = ("osh", "industry", "greening", "catering", "misuse", "None", "leased", "trade")


def _text(page: str) -> str:
    """The words a reader sees: no scripts, styles, tags or attribute values."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def _codes_in(text: str) -> list[str]:
    return [code for code in CODES if re.search(rf"(?<![\w-]){code}(?![\w-])", text)]


@pytest.fixture()
def named_osh(db_session, osh):
    osh.name_ru, osh.name_ky, osh.name_en = "Ош", "Ош шаары", "Osh city"
    db_session.flush()
    return osh


@pytest.fixture()
def misused(db_session, named_osh):
    """An Osh industry parcel seen used as a café: a misuse flag, its inspection."""
    parcel = f.parcel(
        db_session,
        named_osh,
        designated_use=f.use(db_session, "industry"),
        documented_area=Decimal("1375.5"),
    )
    inspection = f.inspection(db_session, parcel, observed="catering")
    scan(db_session, as_of=dt.date(2026, 11, 1), rules=["misuse"])
    flag = db_session.scalar(sa.select(m.AnomalyFlag).where(m.AnomalyFlag.parcel_id == parcel.id))
    return parcel, inspection, flag


def _version(client, path: str) -> str:
    """The version of the record the officer loaded (its archive or unarchive form)."""
    for form in (f"{path}/archive", path):
        found = re.search(r'name="version" value="(\d+)"', client.get(form).get_data(as_text=True))
        if found:
            return found[1]
    raise AssertionError(f"no version on {path}")


def test_a_parcel_page_and_its_history_read_in_russian_without_codes(
    db_session, sign_in, named_osh
):
    parcel = f.parcel(db_session, named_osh, designated_use=f.use(db_session, "industry"))
    client = sign_in("officer_osh")
    path = f"/office/parcels/{parcel.id}"
    answer = client.post(
        f"{path}/edit?lang=ru",
        data={
            "version": _version(client, path),
            "designated_use": "greening",
            "documented_area": "85243984.34",
        },
    )
    assert answer.status_code == 302
    page = _text(client.get(f"{path}?lang=ru").get_data(as_text=True))
    assert "Ош" in page and "Промышленность и склады" in page and "Озеленение" in page
    assert "85 243 984,34" in page  # grouped with a no-break space, a decimal comma
    assert "—" in page  # an empty value (the old documented area)
    assert not _codes_in(page), _codes_in(page)


@pytest.mark.parametrize(
    ("language", "one"), [("ru", "Земельный участок"), ("ky", "Жер тилкеси"), ("en", "Parcel")]
)
def test_a_record_page_is_titled_by_one_record_and_writes_areas_as_registers_do(
    db_session, sign_in, named_osh, language, one
):
    parcel = f.parcel(db_session, named_osh, documented_area=Decimal("1137"))
    page = sign_in("officer_osh").get(f"/office/parcels/{parcel.id}?lang={language}")
    text = page.get_data(as_text=True)
    heading = _text(re.search(r"<h1>(.*?)</h1>", text, re.S)[1])
    assert heading == f"{one}: {parcel.ident_code}", heading
    area = _text(re.search(r'class="field-documented_area">(.*?)</td>', text, re.S)[1])
    assert area == {"en": "1,137.00"}.get(language, "1 137,00"), repr(area)  # spaces joined


def test_a_redrawn_polygon_is_told_as_its_area_before_and_after(db_session, sign_in, named_osh):
    parcel = f.parcel(db_session, named_osh, shape=f.square(metres=30))
    db_session.execute(
        sa.text(
            "UPDATE parcel SET geom = ST_Multi(ST_Buffer(geom::geography, 20)::geometry) "
            "WHERE id = :id"
        ),
        {"id": parcel.id},
    )
    page = sign_in("officer_osh").get(f"/office/parcels/{parcel.id}?lang=en").get_data(as_text=True)
    history = _text(page.split('class="history"', 1)[1])
    assert re.search(r"Polygon [\d,]+\s?m² → [\d,]+\s?m²", history), history
    assert "coordinates" not in history and "{" not in history


def test_a_flag_page_names_the_rule_uses_and_links_to_its_records_in_kyrgyz(
    db_session, sign_in, misused
):
    parcel, inspection, flag = misused
    page = sign_in("auditor").get(f"/audit/flags/{flag.id}?lang=ky").get_data(as_text=True)
    text = _text(page)
    assert not _codes_in(text), _codes_in(text)
    assert "Ош шаары" in text
    assert f'href="/office/parcels/{parcel.id}"' in page
    assert f'href="/office/inspections/{inspection.id}"' in page
    # The parcel's page links back to the flag.
    record = sign_in("officer_osh").get(f"/office/parcels/{parcel.id}?lang=ky")
    assert f'href="/audit/flags/{flag.id}"' in record.get_data(as_text=True)


def test_the_printable_report_and_the_public_card_say_words(db_session, client, sign_in, misused):
    parcel, _, flag = misused
    report = _text(sign_in("auditor").get("/audit/flags/report?lang=ru").get_data(as_text=True))
    assert not _codes_in(report), _codes_in(report)
    assert "2 " in report or "ноября" in report or "декабря" in report
    flag.status = m.FlagStatus.CONFIRMED
    db_session.flush()
    card = _text(client.get(f"/parcels/{parcel.id}?lang=ru").get_data(as_text=True))
    problems = card.split("Подтверждённые нарушения", 1)[-1]
    assert "catering" not in problems and "industry" not in problems and "misuse" not in problems


def test_flag_exports_add_label_columns_in_the_asked_language(db_session, sign_in, misused):
    client = sign_in("auditor")
    body = client.get("/audit/flags/export.csv?lang=ru").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0]["rule"] == "misuse" and rows[0]["rule_label"] != "misuse"
    assert rows[0]["status_label"] and rows[0]["status"] == "open"
    assert rows[0]["municipality"] == "osh" and rows[0]["municipality_label"] == "Ош"
    assert "catering" not in rows[0]["message"]
    book = load_workbook(io.BytesIO(client.get("/audit/flags/export.xlsx?lang=ky").data))
    header = [c.value for c in next(book.active.iter_rows(max_row=1))]
    assert {"rule_label", "severity_label", "status_label", "municipality_label"} <= set(header)
    second = [c.value for c in list(book.active.iter_rows(min_row=2, max_row=2))[0]]
    assert second[header.index("municipality_label")] == "Ош шаары"


def test_archived_records_are_found_by_a_filter_and_restored(db_session, sign_in, osh):
    kept = f.parcel(db_session, osh, ident_code="5-08-01-0001-0701")
    gone = f.parcel(db_session, osh, ident_code="5-08-01-0001-0702")
    client = sign_in("officer_osh")
    path = f"/office/parcels/{gone.id}"
    client.post(f"{path}/archive", data={"version": _version(client, path)})
    listed = client.get("/office/parcels/?lang=en").get_data(as_text=True)
    assert kept.ident_code in listed and gone.ident_code not in listed
    only = client.get("/office/parcels/?archived=only&lang=en").get_data(as_text=True)
    assert gone.ident_code in only and kept.ident_code not in only
    both = client.get("/office/parcels/?archived=with&lang=en").get_data(as_text=True)
    assert gone.ident_code in both and kept.ident_code in both
    page = client.get(f"{path}?lang=en").get_data(as_text=True)
    assert "Restore from the archive" in page
    answer = client.post(f"{path}/unarchive", data={"version": _version(client, path)})
    assert answer.status_code == 303
    db_session.refresh(gone)
    assert gone.archived_at is None
    assert gone.ident_code in client.get("/office/parcels/?lang=en").get_data(as_text=True)
    # An auditor restores nothing.
    assert sign_in("auditor").post(f"{path}/unarchive", data={"version": "1"}).status_code == 403


def test_a_list_exports_what_its_filters_select_with_labels(db_session, sign_in, named_osh):
    f.parcel(db_session, named_osh, ident_code="5-08-01-0001-0801", status=m.ParcelStatus.FREE)
    f.parcel(db_session, named_osh, ident_code="5-08-01-0001-0802", status=m.ParcelStatus.RESERVED)
    client = sign_in("officer_osh")
    listed = client.get("/office/parcels/?status=free&lang=ru").get_data(as_text=True)
    assert "/office/parcels/export.csv?status=free" in html.unescape(listed)
    body = client.get("/office/parcels/export.csv?status=free&lang=ru").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [r["ident_code"] for r in rows] == ["5-08-01-0001-0801"]
    assert rows[0]["status"] == "free" and rows[0]["status_label"] not in ("", "free")
    assert rows[0]["municipality_label"] == "Ош"
    assert rows[0]["designated_use"] == "trade" and rows[0]["designated_use_label"] != "trade"
    book = load_workbook(io.BytesIO(client.get("/office/parcels/export.xlsx?q=0802&lang=en").data))
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert len(values) == 2 and "5-08-01-0001-0802" in values[1]


def test_another_citys_list_is_not_exported(sign_in):
    answer = sign_in("officer_osh").get("/office/parcels/export.csv?municipality=jalal-abad")
    assert answer.status_code == 403


def test_a_signed_in_officer_always_gets_fresh_tiles(db_session, client, sign_in, osh):
    f.parcel(db_session, osh)
    public = client.get("/tiles/parcels/16/52000/24000.pbf")
    assert "public" in public.headers["Cache-Control"]
    officer = sign_in("officer_osh").get("/tiles/parcels/16/52000/24000.pbf")
    cache = officer.headers["Cache-Control"]
    assert "no-cache" in cache and "private" in cache and "public" not in cache


def test_the_dashboard_writes_numbers_and_months_in_russian(db_session, sign_in, osh):
    contract = f.contract(
        db_session,
        f.parcel(db_session, osh),
        rent_amount=Decimal("1200"),
        rent_period=m.RentPeriod.MONTH,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )
    from inventory.services.schedule import rebuild

    rebuild(db_session, [contract.id])
    page = sign_in("auditor").get("/audit/dashboard?municipality=osh&year=2025&lang=ru")
    page = page.get_data(as_text=True)
    text = _text(page)
    assert "14 400,00" in text  # the no-break space is a space once tags are stripped
    assert "январь" in text.lower() and "декабрь" in text.lower()


@pytest.mark.parametrize(
    "language, use, category",
    [
        ("ky", "Өнөр жай жана кампалар", "Калктуу конуштардын жерлери"),
        ("en", "Industry and warehouses", "Land of settlements"),
    ],
)
def test_the_form_offers_uses_and_categories_in_the_pages_language(
    db_session, sign_in, osh, language, use, category
):
    f.use(db_session, "industry")
    f.category(db_session)
    page = sign_in("officer_osh").get(f"/office/parcels/new?lang={language}")
    options = html.unescape(page.get_data(as_text=True))
    assert f">{use}</option>" in options and f">{category}</option>" in options
    assert ">Промышленность и склады</option>" not in options
