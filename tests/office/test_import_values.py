"""Reference values as offices write them: names, abbreviations and synonyms import
without a mapping; what they do not say is mapped once (wizard, API, CLI) and remembered."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from inventory import models as m
from inventory.services.imports import run_import
from inventory.services.records import KINDS as RECORDS
from inventory.services.reference_names import Names, normal
from tests.office import files

HEADER = [
    "Идентификационный код",
    "Адрес",
    "Категория земель",
    "Целевое назначение",
    "Статус",
]


def _register(tmp_path, rows, name="участки.xlsx"):
    return files.xlsx(tmp_path, name, HEADER, rows)


def _parcel(db_session, code):
    return db_session.scalars(sa.select(m.Parcel).where(m.Parcel.ident_code == code)).one()


@pytest.mark.parametrize(
    ("written", "same"),
    [
        ("«Физ. лицо»", "физ лицо"),
        ("  ЗЕМЛИ   населённых пунктов ", "земли населенных пунктов"),
        ('"ОсОО"', "осоо"),
        ("ф/л", "Ф. Л."),
        ("Истёк", "ИСТЕК"),
    ],
)
def test_case_punctuation_quotes_and_yo_never_matter(written, same):
    assert normal(written) == normal(same)


def test_every_value_is_known_by_its_code_names_and_office_forms(db_session):
    names = Names(db_session)
    parcels, contracts, lessees = RECORDS["parcels"], RECORDS["contracts"], RECORDS["lessees"]
    use, category = parcels.field("designated_use"), parcels.field("land_category")
    assert names.resolve(use, "ИЖС") == "housing_individual"
    assert names.resolve(use, "Общепит") == "catering"
    assert names.resolve(use, "Коомдук тамактануу") == "catering"
    assert names.resolve(use, "Public catering") == "catering"
    assert names.resolve(use, "trade") == "trade"
    assert names.resolve(use, "Торговля и услуги") == "trade"
    assert names.resolve(category, "Земли населенных пунктов") == "settlements"
    assert names.resolve(parcels.field("status"), "Свободен") == "free"
    assert names.resolve(parcels.field("status"), "Бош") == "free"
    assert names.resolve(contracts.field("status"), "действующий") == "active"
    assert names.resolve(contracts.field("status"), "Расторгнут") == "terminated"
    assert names.resolve(contracts.field("rent_period"), "сом/год") == "year"
    assert names.resolve(contracts.field("basis"), "Электронный аукцион") == "auction"
    kind = lessees.field("kind")
    assert {names.resolve(kind, form) for form in ("ОсОО", "ЖЧК", "ОАО", "ГП", "МП")} == {
        "legal_entity"
    }
    assert {names.resolve(kind, form) for form in ("Физ. лицо", "ф/л", "гр.")} == {"individual"}
    # An individual entrepreneur is a natural person of its own kind, no longer "individual".
    entrepreneur_forms = ("ИП", "И.П.", "ЖИ", "жеке ишкер", "индивидуальный предприниматель")
    assert {names.resolve(kind, form) for form in entrepreneur_forms} == {"individual_entrepreneur"}
    assert names.resolve(use, "космодром") is None


def test_a_register_written_as_offices_write_it_imports_with_no_mapping(db_session, osh, tmp_path):
    path = _register(
        tmp_path,
        [
            [
                "5-08-01-0041-0001",
                "ул. Ленина, 41",
                "Земли населённых пунктов",
                "Озеленение",
                "свободен",
            ],
            ["5-08-01-0041-0002", "ул. Ленина, 43", "земли населенных пунктов", "ИЖС", "В аренде"],
        ],
    )
    report = run_import(db_session, "parcels", path, municipality="osh")
    assert report.ok, [str(p) for p in report.problems]
    first, second = (
        _parcel(db_session, "5-08-01-0041-0001"),
        _parcel(db_session, "5-08-01-0041-0002"),
    )
    assert first.status == m.ParcelStatus.FREE and second.status == m.ParcelStatus.LEASED
    uses = dict(db_session.execute(sa.select(m.LandUse.id, m.LandUse.code)).all())
    assert uses[first.designated_use_id] == "greening"
    assert uses[second.designated_use_id] == "housing_individual"


def test_an_unknown_value_names_its_row_and_field_and_nothing_is_written(db_session, osh, tmp_path):
    path = _register(
        tmp_path,
        [
            ["5-08-01-0042-0001", "ул. Ленина, 1", "", "Торговля", "свободен"],
            ["5-08-01-0042-0002", "ул. Ленина, 2", "", "космодром", "свободен"],
        ],
    )
    report = run_import(db_session, "parcels", path, municipality="osh")
    assert not report.ok
    assert [(p.row, p.field) for p in report.problems] == [(2, "designated_use")]
    assert "космодром" in str(report.problems[0])
    assert (
        db_session.scalar(
            sa.select(sa.func.count()).where(m.Parcel.ident_code.like("5-08-01-0042-%"))
        )
        == 0
    )


def test_values_given_for_a_file_map_what_the_names_do_not(db_session, osh, tmp_path):
    path = _register(tmp_path, [["5-08-01-0043-0001", "ул. Ленина, 1", "", "космодром", "занят"]])
    report = run_import(
        db_session,
        "parcels",
        path,
        municipality="osh",
        values={"designated_use": {"Космодром": "Промышленность"}, "status": {"занят": "leased"}},
    )
    assert report.ok, [str(p) for p in report.problems]
    parcel = _parcel(db_session, "5-08-01-0043-0001")
    assert parcel.status == m.ParcelStatus.LEASED
    assert db_session.get(m.LandUse, parcel.designated_use_id).code == "industry"


def _upload(client, path, kind="parcels"):
    return client.post(
        "/office/import",
        data={"file": files.upload(path), "kind": kind},
        content_type="multipart/form-data",
    ).headers["Location"]


def _value_rows(page: str, field: str) -> dict[str, tuple[int, str | None, int]]:
    """{value: (rows, selected code, index)} of a field's table on the values page."""
    table = re.search(rf'<table class="values" data-field="{field}">(.*?)</table>', page, re.S)
    found = {}
    for i, row in enumerate(
        re.findall(r"<tr class=\"(?:unknown|known)\">(.*?)</tr>", table.group(1), re.S)
    ):
        value, rows = re.findall(r"<td>([^<]*)</td>", row)[:2]
        selected = re.search(r'<option value="([^"]+)" selected>', row)
        found[value] = (int(rows), selected.group(1) if selected else None, i)
    return found


def _pick(field: str, rows: dict, codes: dict[str, str]) -> dict[str, str]:
    """The values form's inputs choosing `codes` ({value: code}) among `rows`."""
    form = {}
    for value, code in codes.items():
        i = rows[value][2]
        form[f"raw-{field}-{i}"] = value
        form[f"val-{field}-{i}"] = code
    return form


def test_the_wizard_asks_for_the_values_its_names_do_not_know_and_remembers(
    db_session, sign_in, osh, tmp_path
):
    rows = [
        ["5-08-01-0044-0001", "ул. Ленина, 1", "", "Общепит", "свободен"],
        ["5-08-01-0044-0002", "ул. Ленина, 2", "", "Общепит", "занят"],
        ["5-08-01-0044-0003", "ул. Ленина, 3", "", "шашлычная", "Свободен"],
    ]
    client = sign_in("officer_osh")
    step = _upload(client, _register(tmp_path, rows))
    columns = {
        f"col-{name}": header
        for name, header in zip(
            ["ident_code", "address", "land_category", "designated_use", "status"],
            HEADER,
            strict=True,
        )
    }
    values_step = client.post(step, data={**columns, "action": "values"})
    assert values_step.status_code == 303
    page = client.get(values_step.headers["Location"]).get_data(as_text=True)
    uses, statuses = _value_rows(page, "designated_use"), _value_rows(page, "status")
    assert uses["Общепит"][:2] == (2, "catering") and uses["шашлычная"][:2] == (1, None)
    assert statuses["свободен"][:2] == (2, "free") and statuses["занят"][:2] == (1, None)
    assert list(uses)[0] == "шашлычная"  # the unknown first
    answer = {
        **_pick("designated_use", uses, {"Общепит": "catering", "шашлычная": "catering"}),
        **_pick("status", statuses, {"свободен": "free", "занят": "leased"}),
        f"syn-designated_use-{uses['шашлычная'][2]}": "1",
    }
    dry = client.post(values_step.headers["Location"], data={**answer, "action": "dry_run"})
    assert "Строк: 3; новых: 3" in dry.get_data(as_text=True)
    done = client.post(values_step.headers["Location"], data={**answer, "action": "commit"})
    assert done.status_code == 200
    assert _parcel(db_session, "5-08-01-0044-0002").status == m.ParcelStatus.LEASED
    assert (
        db_session.get(m.LandUse, _parcel(db_session, "5-08-01-0044-0003").designated_use_id).code
        == "catering"
    )
    # "шашлычная" is now a synonym for everyone; "занят" is this office's own choice.
    names = Names(db_session)
    assert names.resolve(RECORDS["parcels"].field("designated_use"), "Шашлычная") == "catering"
    mapping = db_session.scalars(
        sa.select(m.ImportMapping).where(
            m.ImportMapping.municipality_id == osh.id, m.ImportMapping.kind == "parcels"
        )
    ).one()
    assert mapping.value_codes == {"status": {"занят": "leased"}}
    again = _upload(
        client,
        _register(
            tmp_path, [["5-08-01-0044-0004", "ул. Ленина, 4", "", "кафе", "ЗАНЯТ"]], "второй.xlsx"
        ),
    )
    client.post(again, data={**columns, "action": "values"})
    page = client.get(f"{again}/values").get_data(as_text=True)
    assert _value_rows(page, "status")["ЗАНЯТ"][:2] == (1, "leased")


def test_an_administrator_adds_a_synonym_the_next_import_uses(db_session, sign_in, osh, tmp_path):
    path = _register(tmp_path, [["5-08-01-0045-0001", "ул. Ленина, 1", "", "Бильярдная", ""]])
    assert not run_import(db_session, "parcels", path, municipality="osh", dry_run=True).ok
    admin = sign_in("admin")
    page = admin.get("/office/synonyms?domain=land_use").get_data(as_text=True)
    assert "ИЖС" in page and "Общественное питание" in page
    added = admin.post(
        "/office/synonyms",
        data={"domain": "land_use", "code": "trade", "synonym": " «Бильярдная» "},
    )
    assert added.status_code == 303
    assert "«Бильярдная»" in admin.get(added.headers["Location"]).get_data(as_text=True)
    report = run_import(db_session, "parcels", path, municipality="osh")
    assert report.ok, [str(p) for p in report.problems]
    assert (
        db_session.get(m.LandUse, _parcel(db_session, "5-08-01-0045-0001").designated_use_id).code
        == "trade"
    )
    twice = admin.post(
        "/office/synonyms", data={"domain": "land_use", "code": "catering", "synonym": "бильярдная"}
    )
    assert twice.status_code == 400 and "trade" in twice.get_data(as_text=True)
    kept = db_session.scalars(
        sa.select(m.ReferenceSynonym).where(m.ReferenceSynonym.normal == "бильярдная")
    ).one()
    removed = admin.post(f"/office/synonyms/{kept.id}/remove", data={"domain": "land_use"})
    assert removed.status_code == 303
    assert (
        Names(db_session).resolve(RECORDS["parcels"].field("designated_use"), "бильярдная") is None
    )


def test_only_an_administrator_edits_synonyms(db_session, sign_in, osh):
    officer = sign_in("officer_osh")
    assert officer.get("/office/synonyms").status_code == 403
    refused = officer.post(
        "/office/synonyms", data={"domain": "land_use", "code": "trade", "synonym": "x y"}
    )
    assert refused.status_code == 403
    assert (
        db_session.scalar(sa.select(sa.func.count()).where(m.ReferenceSynonym.normal == "x y")) == 0
    )


def test_the_cli_takes_values(app, db_session, osh, tmp_path, monkeypatch):
    from inventory.cli import importing, main

    monkeypatch.setattr(importing, "make_app", lambda: app)
    path = _register(tmp_path, [["5-08-01-0046-0001", "ул. Ленина, 1", "", "ИЖС", "занят"]])
    args = ["import", "parcels", str(path), "--municipality", "osh"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1 and "занят" in refused.output
    result = CliRunner().invoke(main, [*args, "--values", "status:Занят=leased"])
    assert result.exit_code == 0, result.output
    assert _parcel(db_session, "5-08-01-0046-0001").status == m.ParcelStatus.LEASED
    wrong = CliRunner().invoke(main, [*args, "--values", "status:занят=occupied"])
    assert wrong.exit_code != 0 and "occupied" in wrong.output


def test_the_api_dry_run_proposes_columns_and_values_and_takes_values(
    db_session, sign_in, osh, tmp_path
):
    path = _register(
        tmp_path,
        [
            ["5-08-01-0047-0001", "ул. Ленина, 1", "ЗНП", "Автостоянка", "занят"],
            ["5-08-01-0047-0002", "ул. Ленина, 2", "ЗНП", "парковка", "свободен"],
        ],
    )
    client = sign_in("officer_osh")

    def post(**form):
        return client.post(
            "/api/v1/imports",
            data={"file": files.upload(path), "kind": "parcels", **form},
            content_type="multipart/form-data",
        )

    dry = post(dry_run="true")
    body = dry.get_json()
    assert dry.status_code == 422 and body["columns"]["status"] == "Статус"
    assert {"value": "занят", "rows": 1, "code": None} in body["values"]["status"]
    assert {"value": "ЗНП", "rows": 2, "code": "settlements"} in body["values"]["land_category"]
    assert sorted(r["code"] for r in body["values"]["designated_use"]) == ["parking", "parking"]
    chosen = json.dumps({"status": {"занят": "leased"}})
    assert post(dry_run="true", values=chosen).status_code == 200
    assert post(values=chosen).status_code == 201
    assert _parcel(db_session, "5-08-01-0047-0001").status == m.ParcelStatus.LEASED
    bad = post(values=json.dumps({"status": "leased"}))
    assert bad.status_code == 400 and bad.get_json()["field"] == "values"


def test_the_api_filters_and_writes_by_names(db_session, headers, client, osh):
    from tests import factories as f

    free = f.parcel(db_session, osh, status=m.ParcelStatus.FREE)
    leased = f.parcel(db_session, osh, status=m.ParcelStatus.LEASED)
    listed = client.get("/api/v1/parcels?status=Свободен&limit=500", headers=headers["officer_osh"])
    ids = {item["id"] for item in listed.get_json()["items"]}
    assert free.id in ids and leased.id not in ids
    by_code = client.get("/api/v1/parcels?status=free&limit=500", headers=headers["officer_osh"])
    assert {item["id"] for item in by_code.get_json()["items"]} == ids
    changed = client.patch(
        f"/api/v1/parcels/{free.id}",
        json={"version": free.version, "status": "в резерве", "designated_use": "Общепит"},
        headers=headers["officer_osh"],
    )
    assert changed.status_code == 200, changed.get_json()
    saved = changed.get_json()
    saved = saved.get("properties", saved)
    assert saved["status"] == "reserved" and saved["designated_use"] == "catering"


def test_values_for_all_rows_chosen_with_the_columns_reach_the_values_step(
    db_session, sign_in, osh, tmp_path
):
    path = files.xlsx(
        tmp_path, "r.xlsx", ["Идентификационный код", "Назначение"], [["5-08-01-0048-0001", "ИЖС"]]
    )
    client = sign_in("officer_osh")
    step = _upload(client, path)
    form = {"col-ident_code": "Идентификационный код", "col-designated_use": "Назначение"}
    values = client.post(step, data={**form, "default-status": "reserved", "action": "values"})
    client.post(values.headers["Location"], data={"action": "commit"})
    parcel = _parcel(db_session, "5-08-01-0048-0001")
    assert parcel.status == m.ParcelStatus.RESERVED
    assert db_session.get(m.LandUse, parcel.designated_use_id).code == "housing_individual"
