"""Bank and treasury statements: lines matched to contracts by the number in the purpose
text or the payer's ИНН, the rest assigned by hand on an office page, and no payment or
line twice however often a statement is imported."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from inventory import models as m
from inventory.services.imports.kinds.statement_matching import numbers_in
from tests import factories as f
from tests.office import files

HEADER = ["Дата", "Сумма", "Плательщик", "ИНН плательщика", "Назначение платежа", "№ документа"]


@pytest.fixture()
def statement(db_session, osh, tmp_path):
    """Three Osh lessees: Ak-Jol (contract 116/2022), Asanov (one contract, matched by
    ИНН) and Nur (two contracts in force: its ИНН alone cannot tell)."""
    akjol = f.lessee(db_session, osh, name="ОсОО «Ак-Жол»", inn="01234567890123")
    asanov = f.lessee(
        db_session, osh, name="ИП Асанов Б.", inn="21505198000123", kind=m.LesseeKind.INDIVIDUAL
    )
    nur = f.lessee(db_session, osh, name="ОсОО «Нур»", inn="01111111111111")
    contracts = {
        "akjol": f.contract(db_session, f.parcel(db_session, osh), number="116/2022", lessee=akjol),
        "asanov": f.contract(
            db_session, f.parcel(db_session, osh), number="45-2023", lessee=asanov
        ),
        "nur1": f.contract(db_session, f.parcel(db_session, osh), number="7/2021", lessee=nur),
        "nur2": f.contract(db_session, f.parcel(db_session, osh), number="8/2021", lessee=nur),
    }
    rows = [
        ["05.03.2024", "12 500,00", "ОсОО Ак-Жол", "01234567890123",
         "оплата аренды по дог. №116/2022 за март", "101"],
        ["06.03.2024", "8 000,00", "ИП Асанов Б.", "21505198000123", "арендная плата за март",
         None],
        ["07.03.2024", "1 000,00", "Токтосунов", None, "оплата аренды N 999-2020", "103"],
        ["08.03.2024", "2 000,00", "ОсОО Ак-Жол", "01234567890123",
         "аренда по дог.116-2022 за апрель", None],
        ["09.03.2024", "3 000,00", "ОсОО Нур", "01111111111111", "аренда земли за март", "105"],
    ]  # fmt: skip
    path = files.xlsx(tmp_path, "выписка.xlsx", HEADER, rows)
    return {"path": path, **contracts}


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _post(client, path, **form):
    return client.post(
        "/api/v1/imports",
        data={"file": files.upload(path), "kind": "statements", **form},
        content_type="multipart/form-data",
    )


def _paid(session, contract) -> list[tuple[str, str | None]]:
    """(amount, reference) of the contract's payments, smallest first."""
    payments = session.scalars(
        sa.select(m.Payment).where(m.Payment.contract_id == contract.id).order_by(m.Payment.amount)
    )
    return [(str(p.amount), p.reference) for p in payments]


def _open(session) -> list[m.StatementLine]:
    return list(
        session.scalars(
            sa.select(m.StatementLine)
            .where(m.StatementLine.payment_id.is_(None))
            .order_by(m.StatementLine.paid_on)
        )
    )


def test_contract_numbers_as_offices_write_them():
    assert numbers_in("оплата аренды по дог. №116/2022 за март") == ["1162022"]
    assert numbers_in("аренда N 116-2022 за 2024 год") == ["1162022"]
    assert numbers_in("по дог.116/2022") == ["1162022"]
    assert numbers_in("келишим №45 боюнча ижара акысы") == ["45"]
    assert numbers_in("аренда 116/2022 март") == ["1162022"]
    assert numbers_in("арендная плата за март 2024") == []


def test_a_statement_is_matched_by_number_and_inn_and_never_doubled(db_session, sign_in, statement):
    client = sign_in("officer_osh")
    dry = _post(client, statement["path"], dry_run="true")
    assert dry.status_code == 200, dry.get_json()["problems"]
    assert _count(db_session, m.Payment) == 0 and _count(db_session, m.StatementLine) == 0

    done = _post(client, statement["path"])
    assert done.status_code == 201, done.get_json()["problems"]
    assert done.get_json()["created"] == 5
    warning = [p for p in done.get_json()["problems"] if p["severity"] == "warning"]
    assert len(warning) == 1 and "rows 3, 5" in warning[0]["message"]
    akjol = _paid(db_session, statement["akjol"])
    assert akjol[1] == ("12500.00", "101")  # the statement's document number
    assert akjol[0][0] == "2000.00" and akjol[0][1].startswith("#")  # no number: the hash
    assert _paid(db_session, statement["asanov"])[0][0] == "8000.00"  # by the payer's ИНН
    assert _paid(db_session, statement["nur1"]) == _paid(db_session, statement["nur2"]) == []
    assert [str(x.amount) for x in _open(db_session)] == ["1000.00", "3000.00"]

    again = _post(client, statement["path"])
    assert again.status_code == 201, again.get_json()["problems"]
    assert again.get_json()["created"] == 0 and again.get_json()["unchanged"] == 5
    assert _count(db_session, m.Payment) == 3 and _count(db_session, m.StatementLine) == 5


def test_an_officer_assigns_a_line_by_hand_once(db_session, sign_in, statement):
    client = sign_in("officer_osh")
    assert _post(client, statement["path"]).status_code == 201
    unknown, nur = _open(db_session)

    page = client.get("/office/statement-lines").get_data(as_text=True)
    assert "оплата аренды N 999-2020" in page
    assert html.escape("116/2022 — ОсОО «Ак-Жол»") in page  # the picker's option

    ambiguous = client.post(
        f"/office/statement-lines/{nur.id}/assign",
        data={"contract": "ОсОО Нур"},
        follow_redirects=True,
    )
    assert "7/2021, 8/2021" in ambiguous.get_data(as_text=True)
    assert nur.payment_id is None

    client.post(
        f"/office/statement-lines/{unknown.id}/assign",
        data={"contract": "116/2022 — ОсОО «Ак-Жол»"},
    )
    client.post(f"/office/statement-lines/{nur.id}/assign", data={"contract": "8-2021"})
    db_session.expire_all()
    assert ("1000.00", "103") in _paid(db_session, statement["akjol"])
    assert _paid(db_session, statement["nur2"])[0][0] == "3000.00"
    assert _open(db_session) == []
    page = client.get("/office/statement-lines").get_data(as_text=True)
    assert "оплата аренды N 999-2020" not in page

    twice = client.post(
        f"/office/statement-lines/{unknown.id}/assign",
        data={"contract": "45-2023"},
        follow_redirects=True,
    )
    assert 'class="flash error"' in twice.get_data(as_text=True)  # already assigned
    db_session.expire_all()
    assert len(_paid(db_session, statement["asanov"])) == 1  # nothing added to 45-2023
    payments = _count(db_session, m.Payment)
    again = _post(client, statement["path"])
    assert again.get_json()["created"] == 0 and _count(db_session, m.Payment) == payments


def test_lines_of_another_municipality_are_neither_shown_nor_assigned(
    db_session, sign_in, statement
):
    assert _post(sign_in("officer_osh"), statement["path"]).status_code == 201
    line = _open(db_session)[0]
    other = sign_in("officer_ja")
    assert "N 999-2020" not in other.get("/office/statement-lines").get_data(as_text=True)
    refused = other.post(f"/office/statement-lines/{line.id}/assign", data={"contract": "116/2022"})
    assert refused.status_code == 403
    auditor = sign_in("auditor")
    page = auditor.get("/office/statement-lines").get_data(as_text=True)
    assert "N 999-2020" in page and 'name="contract"' not in page
    assert (
        auditor.post(
            f"/office/statement-lines/{line.id}/assign", data={"contract": "116/2022"}
        ).status_code
        == 403
    )
    db_session.expire_all()
    assert line.payment_id is None


def test_the_cli_and_the_wizard_import_a_statement(
    app, db_session, sign_in, statement, monkeypatch
):
    from inventory.cli import importing, main

    client = sign_in("officer_osh")
    started = client.post(
        "/office/import",
        data={"kind": "statements", "file": files.upload(statement["path"])},
        content_type="multipart/form-data",
    )
    assert started.status_code == 303
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    form = {}
    for name, options in re.findall(r'<select name="(col-[^"]+)">(.*?)</select>', page, re.S):
        chosen = re.search(r"<option selected>([^<]*)</option>", options)
        form[name] = html.unescape(chosen.group(1)) if chosen else ""
    assert form["col-purpose"] == "Назначение платежа"
    done = client.post(started.headers["Location"], data={**form, "action": "commit"})
    assert done.status_code == 200
    assert _count(db_session, m.Payment) == 3
    # The page after the import leads to what a statement wrote: payments, open lines.
    links = re.findall(r'<a href="(/office/[^"]+)"', done.get_data(as_text=True))
    assert "/office/payments/" in links and "/office/statement-lines" in links, links
    for link in ("/office/payments/", "/office/statement-lines"):
        assert client.get(link).status_code == 200, link

    monkeypatch.setattr(importing, "make_app", lambda: app)
    args = ["import", "statements", str(statement["path"]), "--municipality", "osh"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "created 0" in result.output and _count(db_session, m.Payment) == 3
