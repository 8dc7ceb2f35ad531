"""A contract register imported as an office keeps it: lessees by name and ИНН, objects
by plain codes, no basis column, no status column, through the API, the wizard and the
CLI."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from inventory import models as m
from inventory.services.imports.kinds.register_lessees import KindOfLessee, person_inn
from tests import factories as f
from tests.office import files

HEADER = [
    "№ договора",
    "Дата договора",
    "Арендатор",
    "ИНН",
    "Объект аренды",
    "Срок с",
    "Срок по",
    "Арендная плата, сом/год",
]


@pytest.fixture()
def register(db_session, osh, tmp_path):
    """An office's register: known, new, private and same-named lessees; plain codes."""
    first, second = f.parcel(db_session, osh), f.parcel(db_session, osh)
    hall = f.building(db_session, second)
    known = f.lessee(db_session, osh, name="ОсОО «Ак-Жол»", inn="01234567890123")
    cafe = f.lessee(db_session, osh, name="Кафе «Достук»", inn=None, kind=m.LesseeKind.INDIVIDUAL)
    rows = [
        ["ОШ-101/2024", "15.01.2024", "ОсОО Ак-Жол", "01234567890123", first.ident_code,
         "01.02.2024", "31.01.2035", "12 500,00"],
        ["ОШ-102/2024", "20.01.2024", "ИП Асанов Б.", "21505198000123",
         f"{second.ident_code}; {hall.inventory_number}", "01.02.2024", "31.01.2035", "8 000,00"],
        ["ОШ-103/2019", "01.03.2019", "Физ. лицо Токтосунова Г.", None, first.ident_code,
         "01.03.2019", "28.02.2022", "3 600,00"],
        ["ОШ-104/2024", "01.02.2024", "ОсОО «Береке»", "01111111111111", second.ident_code,
         "01.02.2024", "31.01.2035", "20 000,00"],
        ["ОШ-105/2024", "02.02.2024", "ОсОО Береке", "02222222222222", first.ident_code,
         "02.02.2024", "31.01.2035", "21 000,00"],
        ["ОШ-106/2024", "03.02.2024", "Кафе Достук", None, second.ident_code,
         "03.02.2024", "31.01.2035", "5 000,00"],
    ]  # fmt: skip
    path = files.xlsx(tmp_path, "реестр договоров.xlsx", HEADER, rows)
    return {"path": path, "known": known, "cafe": cafe, "hall": hall, "second": second}


def _lessees(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(m.Lessee))


def _contract(session, number) -> m.LeaseContract:
    return session.scalars(sa.select(m.LeaseContract).where(m.LeaseContract.number == number)).one()


def _post(client, path, **form):
    return client.post(
        "/api/v1/imports",
        data={"file": files.upload(path), "kind": "contracts", **form},
        content_type="multipart/form-data",
    )


def _warnings(answer) -> dict[str, str]:
    return {
        p["field"]: p["message"]
        for p in answer.get_json()["problems"]
        if p["severity"] == "warning"
    }


def test_a_register_imports_with_its_lessees_through_the_api(db_session, sign_in, register):
    client = sign_in("officer_osh")
    before = _lessees(db_session)
    dry = _post(client, register["path"], defaults='{"basis": "decision"}', dry_run="true")
    assert dry.status_code == 200, dry.get_json()["problems"]
    assert dry.get_json()["created"] == 6
    assert _lessees(db_session) == before  # a dry run creates no lessee

    done = _post(client, register["path"], defaults='{"basis": "decision"}')
    assert done.status_code == 201, done.get_json()["problems"]
    # Asanov, Toktosunova and two Berekes are new; Ak-Jol (ИНН) and the cafe (name) known.
    assert _lessees(db_session) == before + 4
    first = _contract(db_session, "ОШ-101/2024")
    assert first.lessee_id == register["known"].id
    assert first.status == m.ContractStatus.ACTIVE and first.basis == m.ContractBasis.DECISION
    assert first.rent_period == m.RentPeriod.YEAR
    assert _contract(db_session, "ОШ-106/2024").lessee_id == register["cafe"].id
    assert _contract(db_session, "ОШ-103/2019").status == m.ContractStatus.EXPIRED

    entrepreneur = _contract(db_session, "ОШ-102/2024")
    # An ИП is a natural person of its own kind: trade name public, personal ИНН not.
    assert entrepreneur.lessee.kind == m.LesseeKind.INDIVIDUAL_ENTREPRENEUR
    assert entrepreneur.lessee.inn == "21505198000123"
    assert {(o.parcel_id, o.building_id) for o in entrepreneur.objects} == {
        (register["second"].id, None),
        (None, register["hall"].id),
    }
    private = _contract(db_session, "ОШ-103/2019").lessee
    assert private.kind == m.LesseeKind.INDIVIDUAL and private.inn is None
    bereke = {_contract(db_session, n).lessee for n in ("ОШ-104/2024", "ОШ-105/2024")}
    assert {(x.kind, x.inn) for x in bereke} == {
        (m.LesseeKind.LEGAL_ENTITY, "01111111111111"),
        (m.LesseeKind.LEGAL_ENTITY, "02222222222222"),
    }

    warnings = _warnings(done)
    assert "rows 6" in warnings["lessee_name"]  # the cafe, matched by name only
    assert "01111111111111, 02222222222222" in warnings["lessee_inn"]
    assert "rows 4, 5" in warnings["lessee_inn"]
    assert "rows 1, 2, 3, 4, 5, 6" in warnings["rent_period"]

    again = _post(client, register["path"], defaults='{"basis": "decision"}')
    assert again.status_code == 201, again.get_json()["problems"]
    assert again.get_json()["created"] == 0 and again.get_json()["unchanged"] == 6
    assert _lessees(db_session) == before + 4  # matched by ИНН and name: no duplicates


def test_a_register_without_basis_is_refused_without_a_default(sign_in, register):
    answer = _post(sign_in("officer_osh"), register["path"])
    assert answer.status_code == 422 or answer.status_code == 400
    assert any(p["field"] == "basis" for p in answer.get_json()["problems"])


def test_a_company_without_its_inn_is_an_error_naming_the_row(db_session, sign_in, osh, tmp_path):
    parcel = f.parcel(db_session, osh)
    path = files.xlsx(
        tmp_path,
        "r.xlsx",
        HEADER,
        [["ОШ-1/2024", None, "ОсОО «Нур»", None, parcel.ident_code, "01.02.2024", "31.01.2030",
          "1 000"]],
    )  # fmt: skip
    answer = _post(sign_in("officer_osh"), path, defaults='{"basis": "auction"}')
    problems = answer.get_json()["problems"]
    assert [(p["row"], p["field"]) for p in problems if p["severity"] == "error"] == [
        (1, "lessee_inn")
    ]


def test_an_entrepreneur_with_a_companys_inn_is_an_error_naming_the_row(
    db_session, sign_in, osh, tmp_path
):
    parcel = f.parcel(db_session, osh)
    path = files.xlsx(
        tmp_path,
        "r.xlsx",
        HEADER,
        [["ОШ-1/2024", None, "ИП Асанов Б.", "01234567890123", parcel.ident_code, "01.02.2024",
          "31.01.2030", "1 000"]],
    )  # fmt: skip
    answer = _post(sign_in("officer_osh"), path, defaults='{"basis": "auction"}')
    errors = [p for p in answer.get_json()["problems"] if p["severity"] == "error"]
    assert [(p["row"], p["field"]) for p in errors] == [(1, "lessee_inn")]
    assert "01234567890123" in errors[0]["message"]
    assert _lessees(db_session) == 0  # nothing half-written


def test_the_cli_imports_the_register_with_a_default_basis(app, db_session, register, monkeypatch):
    from inventory.cli import importing, main

    monkeypatch.setattr(importing, "make_app", lambda: app)
    args = ["import", "contracts", str(register["path"]), "--municipality", "osh"]
    result = CliRunner().invoke(main, [*args, "--default", "basis=decision"])
    assert result.exit_code == 0, result.output
    assert "created 6" in result.output
    assert _contract(db_session, "ОШ-105/2024").basis == m.ContractBasis.DECISION


def test_the_wizard_offers_a_value_for_all_rows_for_the_missing_basis(
    db_session, sign_in, register
):
    client = sign_in("officer_osh")
    started = client.post(
        "/office/import",
        data={"kind": "contracts", "file": files.upload(register["path"])},
        content_type="multipart/form-data",
    )
    assert started.status_code == 303
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert 'name="default-basis"' in page
    # The mapping as the page proposes it, and a value for all rows for the basis.
    form = {**_proposed(page), "default-basis": "decision"}
    assert form["col-lessee_name"] == "Арендатор" and form["col-objects"] == "Объект аренды"
    dry = client.post(started.headers["Location"], data={**form, "action": "dry_run"})
    assert dry.status_code == 200
    assert _lessees(db_session) == 2
    done = client.post(started.headers["Location"], data={**form, "action": "commit"})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert _contract(db_session, "ОШ-104/2024").basis == m.ContractBasis.DECISION
    assert _lessees(db_session) == 6


def _proposed(page: str) -> dict[str, str]:
    """The column each select of the mapping page has selected."""
    found = {}
    for name, options in re.findall(r'<select name="(col-[^"]+)">(.*?)</select>', page, re.S):
        chosen = re.search(r"<option selected>([^<]*)</option>", options)
        found[name] = html.unescape(chosen.group(1)) if chosen else ""
    return found


def test_the_kind_of_a_lessee_from_its_legal_form_then_its_inn(db_session):
    kind_of = KindOfLessee(db_session)
    legal, person = m.LesseeKind.LEGAL_ENTITY, m.LesseeKind.INDIVIDUAL
    entrepreneur = m.LesseeKind.INDIVIDUAL_ENTREPRENEUR
    assert kind_of("ОсОО «Ак-Жол»", None) == legal
    assert kind_of("ЖЧК Ала-Тоо", None) == legal
    assert kind_of("ИП Асанов Б.", "01234567890123") == entrepreneur  # the form wins
    for form in ("И.П. Асанов Б.", "ЖИ Асанов Б.", "жеке ишкер Асанов Б."):
        assert kind_of(form, "21505198000123") == entrepreneur, form
    assert kind_of("Индивидуальный предприниматель Асанов Б.", None) == entrepreneur
    assert kind_of("ф/л Иванова", None) == person
    assert kind_of("гр. Маматов", None) == person
    assert kind_of("Ак-Жол", None) is None  # a name, not the form АК
    assert kind_of("Береке", "01111111111111") == legal
    assert kind_of("Асанов Б.", "21505198000123") == person
    # 1 or 2, then the birth date as ddmmyyyy: 29.02.1996 is one, 29.02.1995 and 32.02 not.
    assert person_inn("12902199600017")
    assert not person_inn("12902199500017") and not person_inn("13202199600017")
    assert not person_inn("01234567890123")
