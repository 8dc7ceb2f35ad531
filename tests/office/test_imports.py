"""Bulk import through the API, the wizard and the CLI, with the files offices send."""

from __future__ import annotations

import datetime as dt
import html
import json
from decimal import Decimal

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.errors import ValidationError
from inventory.services.imports import safety
from tests import factories as f
from tests.office import files
from tests.office.walks import said


def _post(client, path, kind="parcels", **form):
    return client.post(
        "/api/v1/imports",
        data={"file": files.upload(path), "kind": kind, **form},
        content_type="multipart/form-data",
    )


def test_a_cp1251_shapefile_without_cpg_in_kyrg06_imports(db_session, sign_in, osh, tmp_path):
    path = files.shapefile_zip(
        tmp_path,
        [
            {"КОД": "5-08-01-0005-0001", "АДРЕС": "ул. Курманжан Датка, 12", "ПЛОЩАДЬ": 900.0},
            {"КОД": "5-08-01-0005-0002", "АДРЕС": "пр. Масалиева, 3", "ПЛОЩАДЬ": 950.0},
        ],
    )
    client = sign_in("officer_osh")
    dry = _post(client, path, dry_run="true")
    assert dry.status_code == 200, dry.get_json()
    assert dry.get_json()["created"] == 2
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Parcel)) == 0
    done = _post(client, path)
    assert done.status_code == 201, done.get_json()
    parcel = db_session.scalars(
        sa.select(m.Parcel).where(m.Parcel.ident_code == "5-08-01-0005-0001")
    ).one()
    assert parcel.address == "ул. Курманжан Датка, 12"
    assert 850 < float(parcel.measured_area) < 950  # a 30 m square, back from Kyrg-06
    again = _post(client, path)
    assert again.get_json()["unchanged"] == 2 and again.get_json()["created"] == 0


def test_an_xlsx_register_with_russian_headers_and_office_numbers(
    db_session, sign_in, osh, tmp_path
):
    header = ["Идентификационный код", "Адрес", "Площадь"]
    path = files.xlsx(
        tmp_path,
        "реестр.xlsx",
        header,
        [
            ["5-08-01-0006-0001", "ул. Ленина, 1", "12 500,00"],
            ["5-08-01-0006-0002", "ул. Ленина, 2", "1 250,50"],
        ],
    )
    client = sign_in("officer_osh")
    assert _post(client, path).status_code == 201
    parcel = db_session.scalars(
        sa.select(m.Parcel).where(m.Parcel.ident_code == "5-08-01-0006-0001")
    ).one()
    assert parcel.documented_area == Decimal("12500.00")
    # Re-importing a corrected register updates the record instead of adding one.
    path = files.xlsx(
        tmp_path,
        "реестр.xlsx",
        header,
        [
            ["5-08-01-0006-0001", "ул. Ленина, 1А", "12 500,00"],
            ["5-08-01-0006-0002", "ул. Ленина, 2", "1 250,50"],
        ],
    )
    report = _post(client, path).get_json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
    db_session.refresh(parcel)
    assert parcel.address == "ул. Ленина, 1А"


def test_an_xlsx_of_inspections_with_dd_mm_yyyy_dates(db_session, sign_in, osh, tmp_path):
    parcel = f.parcel(db_session, osh, ident_code="5-08-01-0007-0001")
    path = files.xlsx(
        tmp_path,
        "обследования.xlsx",
        ["Идентификационный код", "Дата обследования", "Инспектор"],
        [["5-08-01-0007-0001", "14.05.2026", "А. Осмонов"]],
    )
    assert _post(sign_in("officer_osh"), path, kind="inspections").status_code == 201
    found = db_session.scalars(
        sa.select(m.Inspection).where(m.Inspection.parcel_id == parcel.id)
    ).one()
    assert found.inspected_on == dt.date(2026, 5, 14)


def test_one_bad_row_writes_nothing_and_is_reported_by_row_and_field(
    db_session, sign_in, osh, tmp_path
):
    path = files.xlsx(
        tmp_path,
        "реестр.xlsx",
        ["Идентификационный код", "Площадь"],
        [["5-08-01-0008-0001", "100"], ["5-08-01-0008-0002", "сто"]],
    )
    answer = _post(sign_in("officer_osh"), path)
    assert answer.status_code == 422
    problem = answer.get_json()["problems"][0]
    assert (problem["row"], problem["field"]) == (2, "documented_area")
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Parcel)) == 0


@pytest.mark.parametrize(
    "make, reason", [(files.zip_bomb, "zip bomb"), (files.escaping_zip, "leaving its folder")]
)
def test_hostile_archives_are_refused_with_the_reason(sign_in, osh, tmp_path, make, reason):
    answer = _post(sign_in("officer_osh"), make(tmp_path))
    assert answer.status_code == 400 and reason in answer.get_json()["message"]


def test_an_archive_unpacking_too_large_is_refused(tmp_path):
    path = files.zip_bomb(tmp_path)
    with pytest.raises(ValidationError, match="unpacks to"):
        safety.check_zip(path, max_total=1024 * 1024, max_ratio=10**9)


def test_a_file_over_the_configured_limit_is_refused(app, sign_in, osh, tmp_path):
    app.config["IMPORT_MAX_BYTES"] = 1000
    path = files.xlsx(
        tmp_path,
        "big.xlsx",
        ["Идентификационный код"],
        [[f"5-08-01-0009-{n:04d}"] for n in range(500)],
    )
    answer = _post(sign_in("officer_osh"), path)
    assert answer.status_code == 400 and "limit" in answer.get_json()["message"]
    assert not list((tmp_path / "var").rglob("upload.xlsx"))  # nothing left behind


def test_points_are_not_parcels(sign_in, osh, tmp_path):
    answer = _post(sign_in("officer_osh"), files.points_geojson(tmp_path))
    assert answer.status_code == 422
    assert "expected a polygon, got a Point" in json.dumps(answer.get_json(), ensure_ascii=False)


def test_officers_import_only_into_their_city_and_auditors_not_at_all(
    sign_in, osh, jalalabad, tmp_path
):
    path = files.points_geojson(tmp_path)
    assert _post(sign_in("officer_osh"), path, municipality="jalal-abad").status_code == 403
    assert _post(sign_in("auditor"), path, municipality="osh").status_code == 403


def test_the_wizard_maps_columns_dry_runs_commits_and_remembers(db_session, sign_in, osh, tmp_path):
    path = files.xlsx(
        tmp_path,
        "list.xlsx",
        ["N", "Кадастр", "Улица"],
        [[1, "5-08-01-0010-0001", "ул. Ленина, 10"]],
    )
    client = sign_in("officer_osh")
    answer = client.post(
        "/office/import",
        data={"file": files.upload(path), "kind": "parcels"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303
    step = answer.headers["Location"]
    page = client.get(step + "?lang=en").get_data(as_text=True)
    assert "Кадастр" in page and "ident_code" in page
    mapping = {"col-ident_code": "Кадастр", "col-address": "Улица"}
    dry = client.post(step + "?lang=en", data={**mapping, "action": "dry_run"})
    assert "1 new" in dry.get_data(as_text=True) and 'value="commit"' in dry.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Parcel)) == 0
    done = client.post(step + "?lang=en", data={**mapping, "action": "commit"})
    assert done.status_code == 200 and "Imported" in done.get_data(as_text=True)
    assert db_session.scalars(sa.select(m.Parcel.address)).one() == "ул. Ленина, 10"
    # The next file of this office is mapped the same way without asking.
    remembered = db_session.scalars(sa.select(m.ImportMapping)).one()
    assert remembered.columns["ident_code"] == "Кадастр"
    # The upload is gone: a look at its pages (a language link, the back button) leads
    # to the wizard's start, in the language asked for, saying why; a form sent to it
    # again, and its progress, are 404.
    again = client.get(f"{step}?lang=ky")
    assert again.status_code == 302 and again.headers["Location"] == "/office/import?lang=ky"
    start = client.get(again.headers["Location"]).get_data(as_text=True)
    gone = "This file is no longer waiting: it was imported or given up. Upload it again."
    assert html.escape(said("ky", gone)) in start and said("ky", gone) != gone
    assert client.get(f"{step}/progress").status_code == 404
    assert client.post(step, data={**mapping, "action": "commit"}).status_code == 404
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Parcel)) == 1


@pytest.mark.parametrize(
    "language, reported",
    [
        (
            "ru",
            [
                "«сто» — не число",
                "неизвестная категория земель «пашня»",
                "<td>Площадь по документам, м²</td>",
                'Идентификационный код * <small class="muted"',
            ],
        ),
        (
            "ky",
            [
                "«сто» сан эмес",
                "белгисиз жер категориясы «пашня»",
                "<td>Жер категориясы</td>",
                'Идентификациялык код * <small class="muted"',
            ],
        ),
        (
            "en",
            [
                "'сто' is not a number",
                "unknown land category 'пашня'",
                "<td>Documented area, m²</td>",
                'Identification code * <small class="muted"',
            ],
        ),
    ],
)
def test_the_wizard_reports_problems_in_the_officers_language(
    sign_in, osh, tmp_path, language, reported
):
    path = files.xlsx(
        tmp_path,
        "реестр.xlsx",
        ["Идентификационный код", "Площадь", "Категория земель"],
        [["5-08-01-0011-0001", "сто", "settlements"], ["5-08-01-0011-0002", "100", "пашня"]],
    )
    client = sign_in("officer_osh")
    step = client.post(
        "/office/import",
        data={"file": files.upload(path), "kind": "parcels"},
        content_type="multipart/form-data",
    ).headers["Location"]
    page = client.post(
        f"{step}?lang={language}",
        data={
            "col-ident_code": "Идентификационный код",
            "col-documented_area": "Площадь",
            "col-land_category": "Категория земель",
            "action": "dry_run",
        },
    ).get_data(as_text=True)
    for text in reported:
        assert text in html.unescape(page)
    # API clients keep reading the English sentence, whatever the language.
    answer = client.post(
        f"/api/v1/imports?lang={language}",
        data={"file": files.upload(path), "kind": "parcels"},
        content_type="multipart/form-data",
    )
    assert [p["message"] for p in answer.get_json()["problems"]] == [
        "'сто' is not a number (expected e.g. 12 500,00)",
        "unknown land category 'пашня'",
    ]


def test_the_cli_imports_with_a_dry_run(app, db_session, osh, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from inventory.cli import importing, main

    monkeypatch.setattr(importing, "make_app", lambda: app)
    path = files.xlsx(
        tmp_path,
        "r.xlsx",
        ["Идентификационный код", "Адрес"],
        [["5-08-01-0011-0001", "ул. Ленина, 11"]],
    )
    result = CliRunner().invoke(
        main, ["import", "parcels", str(path), "--municipality", "osh", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "would create 1" in result.output
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Parcel)) == 0
    result = CliRunner().invoke(main, ["import", "parcels", str(path), "--municipality", "osh"])
    assert result.exit_code == 0 and "created 1" in result.output
