"""What an officer reads in the import wizard: every kind of file named in the page's
language, a polygon whose text is cut short reported as a problem of its row beside the
file's other problems, a refused status listed by the statuses' names, and counts written
as the language writes numbers."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from babel.numbers import format_decimal

from inventory import models as m
from inventory.services.imports import wizard
from tests.office import files
from tests.office.walks import said

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

SQUARE = "POLYGON((72.80 40.52,72.8003 40.52,72.8003 40.5202,72.80 40.5202,72.80 40.52))"
HEADER = "Идентификационный код;Адрес;Статус;wkt\n"
ROWS_NOTE = "Rows are numbered as in Excel: the header is row 1."
COLUMNS = {"col-ident_code": "Идентификационный код", "col-address": "Адрес"}


def _step(client, path, language):
    """Upload `path` to the wizard as parcels: the URL of its columns step."""
    answer = client.post(
        f"/office/import?lang={language}",
        data={"file": files.upload(path), "kind": "parcels"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    return answer.headers["Location"]


def _problems(page: str) -> list[tuple[str, str, str]]:
    """(row, field, problem) of each line of the report's table of problems."""
    table = re.search(r'<table class="problems">(.*?)</table>', page, re.S)
    assert table, page[:2000]
    return [
        tuple(html.unescape(cell).strip() for cell in cells)
        for cells in re.findall(r"<tr[^>]*><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
                                table.group(1))
    ]  # fmt: skip


def _one_problem(client, tmp_path, line: str) -> tuple[str, str]:
    """(row, problem) of the one problem a dry run in Russian finds in a register of one
    line (HEADER's columns)."""
    register = tmp_path / "реестр.csv"
    register.write_text(HEADER + line + "\n", "utf-8")
    step = _step(client, register, "ru")
    form = {**COLUMNS, "col-status": "Статус", "action": "dry_run"}
    page = client.post(f"{step}?lang=ru", data=form).get_data(as_text=True)
    [(row, _, problem)] = _problems(page)
    return row, problem


def _count(db_session, pattern: str) -> int:
    db_session.expire_all()
    return db_session.scalar(
        sa.select(sa.func.count()).select_from(m.Parcel).where(m.Parcel.ident_code.like(pattern))
    )


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_kind_of_file_is_named_in_the_page_language(sign_in, osh, language):
    page = sign_in("officer_osh").get(f"/office/import?lang={language}").get_data(as_text=True)
    select = re.search(r'<select name="kind">(.*?)</select>', page, re.S).group(1)
    named = dict(re.findall(r'<option value="([^"]+)">([^<]*)</option>', select))
    assert list(named) == list(wizard.OFFICE_KINDS)
    assert all(name.strip() for name in named.values()), named
    assert html.unescape(named["statements"]) == said(language, "Bank and treasury statements")


def test_a_polygon_cut_short_is_a_problem_of_its_row_beside_the_others(
    db_session, sign_in, osh, tmp_path
):
    register = tmp_path / "реестр.csv"
    register.write_text(
        HEADER
        + f"5-08-01-0071-0001;ул. Ленина, 1;продан;{SQUARE}\n"
        + f"5-08-01-0071-0002;ул. Ленина, 2;свободен;{SQUARE[:40]}\n"
        + f"5-08-01-0071-0003;ул. Ленина, 3;свободен;{SQUARE}\n",
        encoding="utf-8",
    )
    client = sign_in("officer_osh")
    step = _step(client, register, "ru")  # the upload itself is not refused
    form = {**COLUMNS, "col-status": "Статус"}
    for action in ("dry_run", "commit"):
        page = client.post(f"{step}?lang=ru", data={**form, "action": action})
        assert page.status_code == 200
        cut = said("ru", "the geometry's text (WKT) cannot be read: it is cut short or mistyped")
        problems = _problems(page.get_data(as_text=True))
        # The second row under the header is row 3 in Excel, and the page says so.
        assert ("3", said("ru", "Geometry"), cut) in problems, problems
        # Row by row, although the polygon was found unreadable before any status was read.
        assert [row for row, _, _ in problems] == ["2", "3"], problems
        assert html.escape(said("ru", ROWS_NOTE)) in page.get_data(as_text=True)
    assert _count(db_session, "5-08-01-0071-%") == 0


def test_a_refused_status_is_answered_with_the_statuses_by_name(db_session, sign_in, osh, tmp_path):
    client = sign_in("officer_osh")
    row, problem = _one_problem(
        client, tmp_path, f"5-08-01-0072-0001;ул. Ленина, 1;продан;{SQUARE}"
    )
    register = tmp_path / "реестр.csv"  # the register _one_problem wrote
    assert row == "2" and problem.startswith("«продан»"), problem
    for status in m.ParcelStatus:
        assert status.value not in problem, problem  # no code such as municipal_use
    assert said("ru", "Free, offered for lease") in problem and said("ru", "Leased") in problem
    # The API answers scripts with the codes they send.
    answer = client.post(
        "/api/v1/imports",
        data={"file": files.upload(register), "kind": "parcels", "lang": "ru"},
        content_type="multipart/form-data",
    ).get_json()
    assert any("free, leased" in p["message"] for p in answer["problems"]), answer


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_reports_counts_are_written_as_the_language_writes_numbers(
    db_session, sign_in, osh, tmp_path, language
):
    rows = 1_205
    register = tmp_path / "реестр.csv"
    register.write_text(
        "Идентификационный код;Адрес\n"
        + "".join(f"5-08-01-0073-{n:04d};ул. Ленина, {n}\n" for n in range(1, rows + 1)),
        encoding="utf-8",
    )
    client = sign_in("officer_osh")
    step = _step(client, register, language)
    mapping = html.unescape(client.get(f"{step}?lang={language}").get_data(as_text=True))
    grouped = format_decimal(rows, locale=language)
    assert said(language, "%(n)s rows.", n=grouped) in mapping
    page = client.post(f"{step}?lang={language}", data={**COLUMNS, "action": "dry_run"})
    counts = html.unescape(page.get_data(as_text=True))
    assert grouped != str(rows) and grouped in counts
    sentence = "%(rows)s rows: %(created)s new, %(updated)s updated, %(unchanged)s unchanged."
    assert said(language, sentence, rows=grouped, created=grouped, updated=0, unchanged=0) in counts


def test_a_file_with_more_problems_than_the_page_shows_says_how_many(
    db_session, sign_in, osh, tmp_path
):
    register = tmp_path / "реестр.csv"
    register.write_text(
        HEADER + "".join(f"5-08-01-0074-{n:04d};ул. Ленина, {n};продан;\n" for n in range(1, 506)),
        encoding="utf-8",
    )
    client = sign_in("officer_osh")
    step = _step(client, register, "ru")
    form = {**COLUMNS, "col-status": "Статус", "action": "dry_run"}
    page = client.post(f"{step}?lang=ru", data=form).get_data(as_text=True)
    assert len(_problems(page)) == 500
    cut = said("ru", "The first %(shown)s of %(n)s problems are shown.", shown=500, n=505)
    assert html.escape(cut) in page


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_columns_step_names_the_coordinate_system_and_explains_its_marks(
    sign_in, osh, tmp_path, language
):
    """A Shapefile in Kyrg-06 zone 2: its coordinate system is named in the page's
    language, not only by its EPSG number; the star and the bracketed headers are said."""
    path = files.shapefile_zip(tmp_path, [{"Иденткод": "5-08-01-0040-0001"}])
    client = sign_in("officer_osh")
    page = html.unescape(client.get(_step(client, path, language)).get_data(as_text=True))
    zone = said(language, "Kyrg-06 zone 2 (70°01'–73°01' E: Osh, Nookat, Jalal-Abad)")
    assert said(language, "Coordinate system: %(crs)s.", crs=f"EPSG:7693 — {zone}") in page
    marks = "* a required field. In brackets: a header matched to the field in any file."
    assert said(language, marks) in page


def test_the_area_outside_the_municipality_is_written_as_the_language_writes_it(
    db_session, sign_in, osh, tmp_path
):
    # The factory's Osh ends at longitude 72.90: this square reaches over it.
    edge = "POLYGON((72.8998 40.52,72.9002 40.52,72.9002 40.5202,72.8998 40.5202,72.8998 40.52))"
    client = sign_in("officer_osh")
    row, problem = _one_problem(
        client, tmp_path, f"5-08-01-0074-0001;ул. Ленина, 1;свободен;{edge}"
    )
    assert row == "2" and re.search(r"\d,\d\d м²", problem), problem
    assert not re.search(r"\d\.\d", problem), problem


def test_the_values_step_groups_its_counts_and_points_at_unknown_values(
    db_session, sign_in, osh, tmp_path
):
    rows = 1_203
    register = tmp_path / "реестр.csv"
    register.write_text(
        HEADER
        + "".join(f"5-08-01-0075-{n:04d};ул. Ленина, {n};свободен;{SQUARE}\n" for n in range(rows))
        + f"5-08-01-0075-9999;ул. Ленина, 1;продан;{SQUARE}\n",
        encoding="utf-8",
    )
    client = sign_in("officer_osh")
    step = _step(client, register, "ru")
    values_step = client.post(step, data={**COLUMNS, "col-status": "Статус", "action": "values"})
    assert values_step.status_code == 303
    page = html.unescape(client.get(f"{values_step.headers['Location']}?lang=ru").get_data(True))
    assert f"<td>свободен</td><td>{format_decimal(rows, locale='ru')}</td>" in page
    unknown = re.search(r'<tr class="unknown"><td>(.*?)</td>', page)
    assert unknown and unknown.group(1) == "продан"
    assert said("ru", "%(num)s value is not known: pick what it stands for, or its rows will be "
                "refused.", num=1) in page  # fmt: skip
