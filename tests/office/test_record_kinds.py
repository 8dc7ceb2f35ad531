"""Each kind of record is described once: the API, the office pages, the imports and the
API document all take a field from its kind's descriptor, so a field added there is
everywhere (the lessee's contact person below was added that way, with its migration)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.api.openapi import FIELDS, REQUIRED
from inventory.office import forms
from inventory.services.imports.kinds import KINDS as IMPORT_KINDS
from inventory.services.records import KINDS
from inventory.services.records.browse import EXTRA, SORTS


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_field_of_a_kind_reaches_the_api_the_office_the_import_and_the_document(name):
    kind = KINDS[name]
    accepted = [f for f in kind.fields if f.accepted]
    assert set(kind.spec) | set(kind.extra_fields) == {f.name for f in accepted}
    assert set(kind.required) == {f.name for f in kind.fields if f.required}
    assert set(FIELDS[name]) - {"municipality"} == {f.name for f in accepted}
    assert set(REQUIRED[name]) == set(kind.required)
    assert [n for n, _ in forms.fields_of(name, True)] == [f.name for f in accepted if f.form]
    for f in kind.fields:
        assert str(forms.LABELS[f.name]), f.name
        if f.sort is not None:
            assert SORTS[name][f.name] is f.sort
        if f.filter:
            assert f.filter in EXTRA[name]
    imported = {f.name for f in IMPORT_KINDS[name].fields}
    assert imported - {"municipality"} == {
        f.import_as or f.name
        for f in kind.fields
        if f.importable and f.type not in ("geometry", "shown")
    }


def test_a_field_has_one_label_whichever_kind_has_it():
    seen: dict[str, str] = {}
    for kind in KINDS.values():
        for f in kind.fields:
            assert seen.setdefault(f.name, str(f.label)) == str(f.label), f.name


def test_the_lessee_contact_person_comes_from_its_descriptor_alone(
    client, db_session, headers, sign_in, osh
):
    # The API takes it, returns it and documents it.
    answer = client.post(
        "/api/v1/lessees",
        json={
            "kind": "legal_entity",
            "name": 'ОсОО "Береке"',
            "inn": "01234567890123",
            "contact_person": "А. Асанов",
        },
        headers=headers["officer_osh"],
    )
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["contact_person"] == "А. Асанов"
    document = client.get("/api/v1/openapi.json").get_json()
    assert "contact_person" in document["components"]["schemas"]["lessees"]["properties"]

    # The office form shows it, labelled in the officer's language.
    office = sign_in("officer_osh")
    page = office.get("/office/lessees/new?lang=ru").get_data(as_text=True)
    assert 'name="contact_person"' in page and "Контактное лицо" in page

    # An import reads it from a register's own header.
    register = (
        "Код арендатора;Тип;Наименование;ИНН;Контактное лицо\n"
        "L-77;legal_entity;ОсОО Нур;02345678901234;Б. Бакиров\n"
    ).encode()
    answer = office.post(
        "/api/v1/imports",
        data={"kind": "lessees", "file": (io.BytesIO(register), "register.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.get_json()
    stored = db_session.scalar(
        sa.select(m.Lessee.contact_person).where(m.Lessee.external_key == "L-77")
    )
    assert stored == "Б. Бакиров"
