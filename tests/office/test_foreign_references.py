"""The office forms refuse another city's records as the API does: an officer of Osh
naming a Jalal-Abad parcel, building, lessee or contract in a form (new, edit, amend,
renew, an inspection visit, a statement line) saves nothing. The list of write routes
and the API's walk are in tests/security/test_foreign_references.py, which names these
tests for the office routes."""

from __future__ import annotations

import datetime as dt

import pytest

from inventory import models as m
from inventory.services.records import KINDS
from tests.security.test_foreign_references import (
    CASES,
    REFUSED,
    _count,
    _foreign,
    _valid_body,
    make_cities,
)


@pytest.fixture()
def cities(db_session, osh, jalalabad):
    return make_cities(db_session, osh, jalalabad)


def _form(body: dict) -> dict:
    """An API body as the office form sends it (objects by code, not by id)."""
    form = {k: str(v) for k, v in body.items() if k not in ("objects", "municipality")}
    return form


@pytest.mark.parametrize(("name", "field"), [c for c in CASES if c[1] != "objects"])
def test_office_forms(sign_in, cities, db_session, name, field):
    kind = KINDS[name]
    fld = kind.field(field)
    if not fld.form:
        pytest.skip(f"{name}.{field} is not on the office form (API only)")
    client = sign_in("officer_osh")
    foreign = str(_foreign(fld, cities["ja"]))
    form = _form(_valid_body(name, cities["osh"])) | {field: foreign}
    if name == "contracts":
        form["objects"], form["object_ref"] = "shown", cities["osh"]["spare_parcels"].ident_code
    before = _count(db_session, kind.model)
    answer = client.post(f"/office/{name}/new?lang=en", data=form)
    assert answer.status_code in REFUSED, (answer.status_code, answer.location)
    assert _count(db_session, kind.model) == before
    record = cities["osh"][name]
    kept = getattr(record, fld.attribute)
    edit = client.post(
        f"/office/{name}/{record.id}/edit?lang=en",
        data={"version": str(record.version), field: foreign},
    )
    # Refused, or (a payment's edit form leaves its contract out) saved without it.
    assert edit.status_code in REFUSED | {302}, edit.status_code
    db_session.expire_all()
    assert getattr(db_session.get(kind.model, record.id), fld.attribute) == kept


def test_office_forms_name_objects_of_their_own_city_only(sign_in, cities, db_session):
    client = sign_in("officer_osh")
    form = _form(_valid_body("contracts", cities["osh"]))
    form["objects"], form["object_ref"] = "shown", cities["ja"]["spare_parcels"].ident_code
    before = _count(db_session, m.LeaseContract)
    answer = client.post("/office/contracts/new?lang=en", data=form)
    assert answer.status_code == 400
    assert _count(db_session, m.LeaseContract) == before


@pytest.mark.parametrize("action", ["amend", "renew"])
def test_office_amend_and_renew(sign_in, cities, db_session, action):
    contract = cities["osh"]["contracts"]
    client = sign_in("officer_osh")
    before = _count(db_session, m.LeaseContract)
    answer = client.post(
        f"/office/contracts/{contract.id}/{action}?lang=en",
        data={
            "version": str(contract.version),
            "number": f"ОШ-{action}",
            "end_date": "2030-12-31",
            "objects": "shown",  # the objects editor is on the form
            "object_ref": cities["ja"]["spare_parcels"].ident_code,
        },
    )
    assert answer.status_code == 400
    assert "in this municipality" in answer.get_data(as_text=True)
    assert _count(db_session, m.LeaseContract) == before


def test_office_inspection_visit(sign_in, cities, db_session):
    client = sign_in("officer_osh")
    before = _count(db_session, m.Inspection)
    answer = client.post(
        "/office/inspections/visit?lang=en",
        data={
            "parcel_id": str(cities["ja"]["parcels"].id),
            "inspected_on": "2026-05-01",
            "inspector": "А. Осмонов",
        },
    )
    assert answer.status_code in REFUSED
    assert _count(db_session, m.Inspection) == before


def test_office_statement_line(sign_in, cities, db_session, osh):
    """A statement line of Osh cannot be booked against a contract of Jalal-Abad."""
    line = m.StatementLine(
        municipality_id=osh.id, line_key="L-1", paid_on=dt.date(2025, 3, 1), amount=700
    )
    db_session.add(line)
    db_session.flush()
    client = sign_in("officer_osh")
    before = _count(db_session, m.Payment)
    client.post(
        f"/office/statement-lines/{line.id}/assign?lang=en",
        data={"contract": cities["ja"]["contracts"].number},
    )
    db_session.expire_all()
    assert _count(db_session, m.Payment) == before
    assert db_session.get(m.StatementLine, line.id).payment_id is None
