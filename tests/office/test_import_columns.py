"""Registers' own headers are understood; what is not can be named (wizard, API, CLI), a
column can be left out on purpose, and a field a register lacks can be set for all rows."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from click.testing import CliRunner

from inventory import models as m
from inventory.services.imports.base import map_columns
from inventory.services.imports.kinds import KINDS
from tests import factories as f
from tests.office import files


def test_headers_as_registers_write_them_are_matched():
    parcels, _ = map_columns(
        KINDS["parcels"],
        ["Кад_номер", "Адрес (местоположение)", "Площадь, м²", "Целевое назначение"],
    )
    assert parcels == {
        "ident_code": "Кад_номер",
        "address": "Адрес (местоположение)",
        "documented_area": "Площадь, м²",
        "designated_use": "Целевое назначение",
    }
    contracts, _ = map_columns(
        KINDS["contracts"],
        ["№ договора", "Срок с", "Срок по", "Арендная плата, сом/год", "Целевое назначение"],
    )
    assert contracts == {
        "number": "№ договора",
        "start_date": "Срок с",
        "end_date": "Срок по",
        "rent_amount": "Арендная плата, сом/год",
        "contracted_use": "Целевое назначение",
    }


def test_an_abbreviated_area_header_is_matched():
    for header in ("Площадь по док., м2", "Площадь по док."):
        mapping, _ = map_columns(KINDS["parcels"], ["Кад. номер", header])
        assert mapping["documented_area"] == header


def test_an_abbreviated_land_category_header_is_matched():
    for header in ("Кат. земель", "Кат. земли"):
        mapping, _ = map_columns(KINDS["parcels"], ["Кад. номер", header])
        assert mapping["land_category"] == header


def test_dbf_names_cut_to_ten_bytes_are_matched_only_in_shapefiles():
    cut = ["Идентифика", "Площадь_по"]
    assert map_columns(KINDS["parcels"], cut, dbf=True)[0] == {
        "ident_code": "Идентифика",
        "documented_area": "Площадь_по",
    }
    assert map_columns(KINDS["parcels"], cut)[0] == {}


def _chosen(page: str, field: str) -> str | None:
    select = re.search(rf'name="col-{field}">(.*?)</select>', page, re.S).group(1)
    found = re.search(r"<option selected>([^<]*)</option>", select)
    return found.group(1) if found else None


def test_a_column_set_to_none_in_the_wizard_stays_unmapped(db_session, sign_in, osh, tmp_path):
    path = files.xlsx(
        tmp_path,
        "реестр.xlsx",
        ["Идентификационный код", "Адрес", "Примечание"],
        [["5-08-01-0031-0001", "ул. Ленина, 31", "сверено"]],
    )
    client = sign_in("officer_osh")
    step = client.post(
        "/office/import",
        data={"file": files.upload(path), "kind": "parcels"},
        content_type="multipart/form-data",
    ).headers["Location"]
    assert _chosen(client.get(step).get_data(as_text=True), "note") == "Примечание"
    form = {"col-ident_code": "Идентификационный код", "col-address": "Адрес", "col-note": ""}
    page = client.post(step, data={**form, "action": "dry_run"}).get_data(as_text=True)
    assert _chosen(page, "note") is None
    client.post(step, data={**form, "action": "commit"})
    parcel = db_session.scalars(
        sa.select(m.Parcel).where(m.Parcel.ident_code == "5-08-01-0031-0001")
    ).one()
    assert parcel.address == "ул. Ленина, 31" and parcel.note is None


def _upload(client, path) -> str:
    return client.post(
        "/office/import",
        data={"file": files.upload(path), "kind": "parcels"},
        content_type="multipart/form-data",
    ).headers["Location"]


def test_a_refused_column_is_remembered_but_a_missing_one_is_not(
    db_session, sign_in, osh, tmp_path
):
    """The next file leaves out the column the officer refused ("Примечание"), but a
    field the first file had no column for is matched by the names on the next file."""
    assert "land_category" not in map_columns(KINDS["parcels"], ["Кат. по акту"])[0]
    first = files.xlsx(
        tmp_path,
        "первый.xlsx",
        ["Идентификационный код", "Адрес", "Кат. по акту", "Примечание"],
        [["5-08-01-0032-0001", "ул. Ленина, 32", "ЗНП", "сверено"]],
    )
    client = sign_in("officer_osh")
    step = _upload(client, first)
    assert _chosen(client.get(step).get_data(as_text=True), "land_category") is None
    form = {
        "col-ident_code": "Идентификационный код",
        "col-address": "Адрес",
        "col-land_category": "",
        "col-note": "",
        "action": "commit",
    }
    assert "Imported" in client.post(step + "?lang=en", data=form).get_data(as_text=True)
    remembered = db_session.scalars(sa.select(m.ImportMapping)).one().columns
    assert remembered["note"] == "" and "land_category" not in remembered
    second = files.xlsx(
        tmp_path,
        "второй.xlsx",
        ["Идентификационный код", "Адрес", "Категория земель", "Примечание"],
        [["5-08-01-0032-0002", "ул. Ленина, 34", "Земли населённых пунктов", "сверено"]],
    )
    page = client.get(_upload(client, second)).get_data(as_text=True)
    assert _chosen(page, "land_category") == "Категория земель"
    assert _chosen(page, "note") is None


def test_the_api_takes_columns_and_defaults(db_session, sign_in, osh, tmp_path):
    lessee = f.lessee(db_session, osh, external_key="L-1")
    parcel = f.parcel(db_session, osh)
    path = files.xlsx(
        tmp_path,
        "договоры.xlsx",
        ["Договор", "Код арендатора", "Срок с", "Срок по", "Плата", "Участок"],
        [
            [
                "ОШ-77/2024",
                "L-1",
                "01.02.2024",
                "31.01.2029",
                "12 500,00",
                f"parcel:{parcel.ident_code}",
            ]
        ],
    )
    answer = sign_in("officer_osh").post(
        "/api/v1/imports",
        data={
            "file": files.upload(path),
            "kind": "contracts",
            "columns": json.dumps({"rent_amount": "Плата", "objects": "Участок"}),
            "defaults": json.dumps({"basis": "decision"}),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.get_json()["problems"]
    contract = db_session.scalars(
        sa.select(m.LeaseContract).where(m.LeaseContract.number == "ОШ-77/2024")
    ).one()
    assert contract.lessee_id == lessee.id and contract.basis == m.ContractBasis.DECISION
    assert float(contract.rent_amount) == 12500.0


def test_the_api_refuses_a_default_for_no_field(sign_in, osh, tmp_path):
    path = files.xlsx(tmp_path, "r.xlsx", ["Идентификационный код"], [["5-08-01-0031-0002"]])
    answer = sign_in("officer_osh").post(
        "/api/v1/imports",
        data={
            "file": files.upload(path),
            "kind": "parcels",
            "defaults": json.dumps({"colour": "red"}),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and answer.get_json()["field"] == "defaults"


def test_the_cli_takes_columns_and_defaults(app, db_session, osh, tmp_path, monkeypatch):
    from inventory.cli import importing, main

    monkeypatch.setattr(importing, "make_app", lambda: app)
    path = files.xlsx(
        tmp_path,
        "r.xlsx",
        ["Шифр", "Адрес"],
        [["5-08-01-0032-0001", "ул. Ленина, 32"]],
    )
    args = ["import", "parcels", str(path), "--municipality", "osh"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1 and "ident_code" in refused.output
    result = CliRunner().invoke(
        main, [*args, "--columns", "ident_code=Шифр", "--default", "status=reserved"]
    )
    assert result.exit_code == 0, result.output
    parcel = db_session.scalars(
        sa.select(m.Parcel).where(m.Parcel.ident_code == "5-08-01-0032-0001")
    ).one()
    assert parcel.status == m.ParcelStatus.RESERVED
