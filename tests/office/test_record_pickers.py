"""Record pickers: forms name another record by what people know it by (a lessee's name
or ИНН, a parcel's code or address, a contract's number), never by a database id they
would have to look up; the lookup answers only what the user may read."""

from __future__ import annotations

import pytest

from tests import factories as f


def _lookup(client, kind, q, **params):
    return client.get(
        f"/office/lookup/{kind}",
        query_string={"q": q, **params},
        headers={"Accept": "application/json"},
    )


def test_a_lessee_is_found_by_name_or_inn(db_session, sign_in, osh):
    kut = f.lessee(db_session, osh, name="ОсОО «Кут»", inn="01234567890123")
    f.lessee(db_session, osh, name="ОсОО «Ак-Буура»")
    client = sign_in("officer_osh")
    for q in ("кут", "0123456789"):
        answer = _lookup(client, "lessees", q)
        assert answer.status_code == 200
        assert answer.json["items"] == [
            {"id": kut.id, "label": "ОсОО «Кут» (01234567890123)", "code": None}
        ]


def test_a_parcel_is_found_by_code_address_or_id(db_session, sign_in, osh):
    parcel = f.parcel(
        db_session, osh, ident_code="5-08-01-0009-0042", address="ул. Курманжан Датки, 7"
    )
    client = sign_in("officer_osh")
    for q in ("0009-0042", "Курманжан", str(parcel.id)):
        items = _lookup(client, "parcels", q).json["items"]
        assert {
            "id": parcel.id,
            "label": "5-08-01-0009-0042 — ул. Курманжан Датки, 7",
            "code": "5-08-01-0009-0042",
        } in items


def test_an_officer_never_finds_another_citys_records(db_session, sign_in, osh, jalalabad):
    f.lessee(db_session, jalalabad, name="ОсОО «Жалал»")
    f.parcel(db_session, jalalabad, address="ул. Жалал-Абадская, 1")
    client = sign_in("officer_osh")
    assert _lookup(client, "lessees", "Жалал").json["items"] == []
    assert _lookup(client, "parcels", "Жалал-Абадская").json["items"] == []
    assert _lookup(client, "lessees", "Жалал", municipality="jalal-abad").status_code == 403


def test_an_admin_picks_within_the_forms_city(db_session, sign_in, osh, jalalabad):
    f.lessee(db_session, osh, name="ОсОО «Тоо» Ош")
    there = f.lessee(db_session, jalalabad, name="ОсОО «Тоо» Жалал-Абад")
    answer = _lookup(sign_in("admin"), "lessees", "Тоо", municipality=jalalabad.slug)
    assert [item["id"] for item in answer.json["items"]] == [there.id]


def test_a_long_query_is_refused_and_an_unknown_kind_is_not_found(db_session, sign_in, osh):
    client = sign_in("officer_osh")
    answer = _lookup(client, "lessees", "я" * 101)
    assert answer.status_code == 400 and answer.json["field"] == "q"
    assert _lookup(client, "users", "admin").status_code == 404
    assert _lookup(client, "lessees", "").json["items"] == []


def test_lookups_need_a_signed_in_user(client, db_session, osh):
    assert _lookup(client, "lessees", "Кут").status_code in (302, 401)


def test_the_parcel_map_lists_the_officers_own_parcels(db_session, sign_in, osh, jalalabad):
    mine = f.parcel(db_session, osh, shape=f.square(*f.OSH, 30))
    client = sign_in("officer_osh")
    centre = client.get("/office/lookup/parcels/map", headers={"Accept": "application/json"})
    lat, lon = centre.json["centre"]
    assert abs(lat - f.OSH[1]) < 0.1 and abs(lon - f.OSH[0]) < 0.15
    box = f"{f.OSH[0] - 0.002},{f.OSH[1] - 0.002},{f.OSH[0] + 0.002},{f.OSH[1] + 0.002}"
    found = client.get(f"/office/lookup/parcels/map?bbox={box}").json
    assert [feature["id"] for feature in found["features"]] == [mine.id]


@pytest.mark.parametrize("kind", ["contracts", "inspections", "buildings", "payments"])
def test_every_record_field_of_a_form_is_a_picker(db_session, sign_in, osh, kind):
    page = sign_in("officer_osh").get(f"/office/{kind}/new?lang=en").get_data(as_text=True)
    assert 'class="record-picker"' in page and "office/picker.js" in page
    assert 'id="picker-messages"' in page


def test_a_contract_form_shows_its_lessee_by_name_and_refuses_a_typed_name(
    db_session, sign_in, osh
):
    contract = f.contract(db_session, f.parcel(db_session, osh))
    client = sign_in("officer_osh")
    page = client.get(f"/office/contracts/{contract.id}/edit?lang=en").get_data(as_text=True)
    assert f'data-label="{contract.lessee.name} (' in page
    answer = client.post(
        "/office/contracts/new?lang=en",
        data={"number": "ОШ-1", "lessee_id": "ОсОО «Кут»", "start_date": "2026-01-01"},
    )
    assert answer.status_code == 400
    assert "pick it from the list" in answer.get_data(as_text=True)


def test_the_inspection_visit_names_its_parcel(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh, ident_code="5-08-01-0009-0077", address="ул. Ленина, 77")
    page = sign_in("officer_osh").get(f"/office/inspections/visit?parcel_id={parcel.id}&lang=en")
    html = page.get_data(as_text=True)
    assert "5-08-01-0009-0077 — ул. Ленина, 77" in html and 'class="record-picker"' in html


def test_a_parcel_page_starts_a_contract_for_that_parcel(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh, ident_code="5-08-01-0009-0088")
    client = sign_in("officer_osh")
    record = client.get(f"/office/parcels/{parcel.id}?lang=en").get_data(as_text=True)
    assert "/office/contracts/new?object_ref=5-08-01-0009-0088" in record
    form = client.get("/office/contracts/new?object_ref=5-08-01-0009-0088&lang=en")
    assert 'name="object_ref" value="5-08-01-0009-0088"' in form.get_data(as_text=True)
