"""An officer of Osh cannot attach a record of Jalal-Abad to anything, by any write route.

Every write route of the app (API POST/PUT/PATCH/DELETE, office and audit form POSTs) is
read from `app.url_map` and must be classified below: either this file sends it the ids
or keys of Jalal-Abad records (`BODY`), or the only record it takes is the one in its
path, which the route walk calls as an officer of another city (`PATH_ONLY`,
tests/security/test_route_walk.py), or it takes no record at all (`NO_RECORD`). A new
write route fails `test_every_write_route_is_classified` until whoever adds it says
which, in the same change.

The fields sent are the descriptor's references (`Field(type="record")` and a contract's
objects), so a reference added to a kind is walked here without editing this file.
"""

from __future__ import annotations

import functools
import importlib
import io
import sys

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.errors import ValidationError
from inventory.services.records import KINDS, Kind, references
from tests import factories as f

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
#: The office forms are walked in tests/office (their signed-in client lives there).
OFFICE = "tests.office.test_foreign_references:"
#: A refusal: invalid (400), forbidden (403), not found (404), an import's 422.
REFUSED = {400, 403, 404, 422}

#: Write routes whose request names other records: each is walked below.
BODY = {
    **{f"api.{name}_create_record": "test_api_create" for name in KINDS},
    **{f"api.{name}_update_record": "test_api_update" for name in KINDS},
    "api.amend_contract": "test_api_amend_and_renew",
    "api.renew_contract": "test_api_amend_and_renew",
    "api.create_import": "test_imports_name_records_of_their_own_city_only",
    "office.create": OFFICE + "test_office_forms",
    "office.edit": OFFICE + "test_office_forms",
    "office.successor": OFFICE + "test_office_amend_and_renew",
    "office.inspection_visit": OFFICE + "test_office_inspection_visit",
    "office.statement_line_assign": OFFICE + "test_office_statement_line",
    # The wizard's steps run the same wizard.import_for as the API's import.
    "office.import_start": "test_imports_name_records_of_their_own_city_only",
    "office.import_mapping": "test_imports_name_records_of_their_own_city_only",
    "office.import_crs_choice": "test_imports_name_records_of_their_own_city_only",
    "office.import_values": "test_imports_name_records_of_their_own_city_only",
    "api.upload_document": "test_a_document_is_attached_to_a_record_of_the_own_city_only",
    "office.upload_document": "test_a_document_is_attached_to_a_record_of_the_own_city_only",
    "api.open_campaign": "test_a_campaign_takes_a_zone_and_officers_of_its_city_only",
    "office.new_campaign": "test_a_campaign_takes_a_zone_and_officers_of_its_city_only",
    "api.assign_campaign": "test_a_campaign_takes_a_zone_and_officers_of_its_city_only",
    "office.assign_campaign": "test_a_campaign_takes_a_zone_and_officers_of_its_city_only",
}
#: Write routes whose only record is the one in the path (the route walk calls each as
#: an officer of another city and expects a refusal).
PATH_ONLY = {
    *(f"api.{name}_archive_record" for name in KINDS),
    "api.publish_report",
    "api.reject_report",
    "office.archive",
    "office.restore_version",
    "office.record_payment",
    "office.change_status",
    "office.parcel_shape_from_file",
    "office.parcel_shape_check",  # the drawn polygon, checked against the path's parcel
    "office.publish_report",
    "office.reject_report",
    "audit.flag_status",
    "api.close_campaign",
    "office.close_campaign",
    "api.update_document",  # its title and public flag
    "api.archive_document",
    "office.cancel_lot",
    "office.unarchive_record",
}
#: Write routes whose references reach a records service this file walks: the service
#: then checks them in records.references like any other write.
THROUGH = {
    # The winner becomes a lessee of the contract contracts.create makes.
    "api.record_lot_result": "contracts.create",
    "office.lot_result": "contracts.create",
    # A lot is a records Kind: its parcel or building is checked by Kind._saved.
    "office.new_lot": "lots.create",
    # An amended or terminated contract goes through contracts.successor or update.
    "api.decide_review": "contracts.successor",
    "office.review": "contracts.successor",
}
#: Write routes that take no record of a municipality.
NO_RECORD = {
    "api.issue_token",
    "api.revoke_token",
    "auth.login",
    "auth.logout",
    "office.add_synonym",
    "office.remove_synonym",
    "webmap.report_submit",  # a resident's report: placed by the server, not by an id
    "auth.change_password",
    # Accounts, an administrator's: a user's city is the administrator's choice.
    "office.create_user",
    "office.update_user",
    "office.reset_password",
    "office.set_active",
    "office.digest_opt_in",  # the signed-in user's own setting
}


def _write_routes(app) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & WRITES
        if methods:
            found.setdefault(rule.endpoint, set()).update(methods)
    return found


def _kind_routes(app) -> dict[str, Kind]:
    """The write routes made for a records Kind (the API's create, update and archive of
    any kind, those of KINDS and any other built the same way), with their kind."""
    found = {}
    for endpoint in _write_routes(app):
        view = app.view_functions[endpoint]
        if isinstance(view, functools.partial) and view.args and isinstance(view.args[0], Kind):
            found[endpoint] = view.args[0]
    return found


def test_every_write_route_is_classified(app):
    classified = set(BODY) | PATH_ONLY | NO_RECORD | set(THROUGH)
    # A kind's create and update walked by test_every_kind_checks_its_references; its
    # archive takes the record in the path only.
    classified |= set(_kind_routes(app))
    unclassified = sorted(set(_write_routes(app)) - classified)
    assert not unclassified, (
        "write routes not walked with another city's ids; add each to BODY (and walk it "
        f"here), PATH_ONLY or NO_RECORD in {__file__}: {unclassified}"
    )
    # Each route of BODY names the test that walks it, here or in the office tests.
    missing = []
    for test in set(BODY.values()):
        module, _, name = test.rpartition(":")
        if not hasattr(importlib.import_module(module) if module else sys.modules[__name__], name):
            missing.append(test)
    assert not missing


# -- two cities, one record of every kind in each -------------------------------------


@pytest.fixture()
def cities(db_session, osh, jalalabad):
    """{"osh": {kind: record}, "ja": {kind: record}}, contracts active 2024-2028."""
    return make_cities(db_session, osh, jalalabad)


def make_cities(db_session, osh, jalalabad) -> dict:
    """One record of every kind in each city, the parcels in their own city's area."""
    made = {}
    for key, city, place in (("osh", osh, f.OSH), ("ja", jalalabad, f.JALAL_ABAD)):
        parcel = f.parcel(db_session, city, shape=f.square(place[0] + 0.002, place[1]))
        spare = f.parcel(db_session, city, shape=f.square(place[0] + 0.004, place[1]))
        contract = f.contract(db_session, parcel)
        made[key] = {
            "parcels": parcel,
            "spare_parcels": spare,
            "buildings": f.building(db_session, parcel),
            "lessees": contract.lessee,
            "contracts": contract,
            "payments": f.payment(db_session, contract),
            "inspections": f.inspection(db_session, parcel),
        }
    db_session.flush()
    for records in made.values():
        for obj in records.values():
            db_session.refresh(obj)
    return made


def _references(kind_name: str | Kind) -> list:
    """The fields of a kind that name other records, from its descriptor."""
    kind = KINDS[kind_name] if isinstance(kind_name, str) else kind_name
    return [
        fld
        for fld in kind.fields
        if fld.accepted and (fld.type == "record" or fld.type == "objects")
    ]


def test_every_kind_checks_its_references(app, cities, db_session, osh):
    """The one place: for every kind an API route writes (KINDS and any other), a record
    of Osh naming a Jalal-Abad record in any reference field is refused by
    records.references, which every create, update, amendment and renewal goes through
    (Kind._saved, Contracts.successor)."""
    kinds = {id(kind): kind for kind in _kind_routes(app).values()}.values()
    assert {kind.name for kind in kinds} >= set(KINDS)
    for kind in kinds:
        for fld in _references(kind):
            if fld.type == "objects":
                value = [m.ContractObject(parcel_id=cities["ja"]["spare_parcels"].id)]
            elif fld.record in references.MODELS:
                value = cities["ja"][fld.record].id
            else:
                continue
            obj = kind.model()
            setattr(obj, fld.attribute, value)
            with pytest.raises(ValidationError) as refused:
                references.check(db_session, kind, obj, osh.id)
            assert refused.value.field == fld.name
            own = cities["osh"]["spare_parcels" if fld.type == "objects" else fld.record].id
            setattr(
                obj,
                fld.attribute,
                [m.ContractObject(parcel_id=own)] if fld.type == "objects" else own,
            )
            references.check(db_session, kind, obj, osh.id)  # its own city's: taken


def _foreign(fld, ja) -> object:
    if fld.type == "objects":
        return [{"parcel_id": ja["spare_parcels"].id}]
    return ja[fld.record].id


def _valid_body(kind: str, osh) -> dict:
    """A body the API accepts as an Osh record of `kind`."""
    return {
        "parcels": {"municipality": "osh", "ident_code": "5-08-01-0999-0001", "address": "а"},
        "buildings": {
            "municipality": "osh",
            "inventory_number": "ИНВ-ЧУЖОЙ",
            "parcel_id": osh["parcels"].id,
        },
        "lessees": {"municipality": "osh", "kind": "individual", "name": "Иванов И."},
        "contracts": {
            "municipality": "osh",
            "number": "ОШ-ЧУЖОЙ-1",
            "lessee_id": osh["lessees"].id,
            "start_date": "2025-01-01",
            "end_date": "2027-12-31",
            "rent_amount": 60000,
            "basis": "auction",
            "objects": [{"parcel_id": osh["spare_parcels"].id}],
        },
        "payments": {"contract_id": osh["contracts"].id, "paid_on": "2025-03-10", "amount": 5},
        "inspections": {
            "parcel_id": osh["parcels"].id,
            "inspected_on": "2025-05-01",
            "inspector": "А. Осмонов",
        },
    }[kind]


def _count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


CASES = [(name, fld.name) for name in KINDS for fld in _references(name)]


def test_the_valid_bodies_are_accepted(client, headers, cities, db_session):
    """The walk's bodies are good: only the foreign id makes a difference below."""
    for name in KINDS:
        answer = client.post(
            f"/api/v1/{name}", json=_valid_body(name, cities["osh"]), headers=headers["officer_osh"]
        )
        assert answer.status_code == 201, (name, answer.get_json())


@pytest.mark.parametrize(("name", "field"), CASES)
def test_api_create(client, headers, cities, db_session, name, field):
    kind = KINDS[name]
    fld = kind.field(field)
    body = _valid_body(name, cities["osh"]) | {field: _foreign(fld, cities["ja"])}
    before = _count(db_session, kind.model)
    answer = client.post(f"/api/v1/{name}", json=body, headers=headers["officer_osh"])
    assert answer.status_code in REFUSED, answer.get_json()
    assert _count(db_session, kind.model) == before
    assert cities["ja"]["lessees"].name not in answer.get_data(as_text=True)


@pytest.mark.parametrize(("name", "field"), CASES)
def test_api_update(client, headers, cities, db_session, name, field):
    kind = KINDS[name]
    fld = kind.field(field)
    record = cities["osh"][name]
    kept = getattr(record, fld.attribute)
    kept = [(o.parcel_id, o.building_id) for o in kept] if fld.type == "objects" else kept
    body = {"version": record.version, field: _foreign(fld, cities["ja"])}
    answer = client.patch(f"/api/v1/{name}/{record.id}", json=body, headers=headers["officer_osh"])
    assert answer.status_code in REFUSED, answer.get_json()
    db_session.expire_all()
    now = getattr(db_session.get(kind.model, record.id), fld.attribute)
    now = [(o.parcel_id, o.building_id) for o in now] if fld.type == "objects" else now
    assert now == kept
    assert cities["ja"]["lessees"].name not in answer.get_data(as_text=True)


@pytest.mark.parametrize("action", ["amend", "renew"])
@pytest.mark.parametrize("field", ["lessee_id", "objects"])
def test_api_amend_and_renew(client, headers, cities, db_session, action, field):
    """The security test's H2: amend and renew took a lessee of Jalal-Abad (201)."""
    contract = cities["osh"]["contracts"]
    fld = KINDS["contracts"].field(field)
    body = {"version": contract.version, "number": f"ОШ-{action}", "end_date": "2030-12-31"}
    body[field] = _foreign(fld, cities["ja"])
    before = _count(db_session, m.LeaseContract)
    answer = client.post(
        f"/api/v1/contracts/{contract.id}/{action}", json=body, headers=headers["officer_osh"]
    )
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["field"] == field
    assert cities["ja"]["lessees"].name not in answer.get_data(as_text=True)
    db_session.expire_all()
    assert _count(db_session, m.LeaseContract) == before
    assert db_session.get(m.LeaseContract, contract.id).status == m.ContractStatus.ACTIVE
    # The same request with the contract's own lessee and objects is taken.
    body[field] = (
        [{"parcel_id": cities["osh"]["parcels"].id}]
        if field == "objects"
        else cities["osh"]["lessees"].id
    )
    ok = client.post(
        f"/api/v1/contracts/{contract.id}/{action}", json=body, headers=headers["officer_osh"]
    )
    assert ok.status_code == 201, ok.get_json()


# -- imports --------------------------------------------------------------------------


def _csv(text: str) -> tuple:
    return (io.BytesIO(text.encode()), "register.csv")


def test_imports_name_records_of_their_own_city_only(client, headers, cities, db_session):
    """A file names records by their keys, looked up in the import's own city only: an
    Osh import naming Jalal-Abad's parcel, lessee or contract is refused, row by row."""
    ja = cities["ja"]
    files = {
        "buildings": (
            f"inventory_number,parcel_ident_code\nИНВ-Ч,{ja['parcels'].ident_code}\n",
            "parcel_ident_code",
        ),
        "contracts": (
            "number,lessee_key,start_date,end_date,rent_amount,basis,objects\n"
            f"ОШ-Ч,{ja['lessees'].external_key},01.01.2025,31.12.2027,100,auction,"
            f"{ja['spare_parcels'].ident_code}\n",
            None,
        ),
        "payments": (
            f"contract_number,paid_on,amount\n{ja['contracts'].number},01.03.2025,5\n",
            "contract_number",
        ),
        "inspections": (
            f"parcel_ident_code,inspected_on,inspector\n{ja['parcels'].ident_code},01.05.2025,И\n",
            "parcel_ident_code",
        ),
    }
    for kind, (text, field) in files.items():
        before = _count(db_session, KINDS[kind].model)
        answer = client.post(
            "/api/v1/imports",
            data={"kind": kind, "municipality": "osh", "file": _csv(text)},
            headers=headers["officer_osh"],
            content_type="multipart/form-data",
        )
        assert answer.status_code == 422, (kind, answer.get_json())
        problems = answer.get_json()["problems"]
        assert all(p["row"] == 1 for p in problems if p["severity"] == "error"), problems
        if field:
            assert field in {p["field"] for p in problems}, problems
        assert _count(db_session, KINDS[kind].model) == before


# -- documents and review campaigns ------------------------------------------------


def test_a_document_is_attached_to_a_record_of_the_own_city_only(
    client, headers, cities, db_session
):
    before = _count(db_session, m.Document)
    for owner_kind, record in (("parcel", "parcels"), ("contract", "contracts")):
        answer = client.post(
            "/api/v1/documents",
            data={
                "owner_kind": owner_kind,
                "owner_id": str(cities["ja"][record].id),
                "kind": "other",
                "title": "Акт",
                "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "act.pdf"),
            },
            headers=headers["officer_osh"],
            content_type="multipart/form-data",
        )
        assert answer.status_code in REFUSED, answer.get_json()
    assert _count(db_session, m.Document) == before


def test_a_campaign_takes_a_zone_and_officers_of_its_city_only(
    client, headers, cities, db_session, people, jalalabad
):
    foreign_zone = f.zone(db_session, jalalabad)
    body = {"municipality": "osh", "title": "Пересмотр", "deadline": "2030-12-31"}
    answer = client.post(
        "/api/v1/campaigns", json=body | {"zone": foreign_zone.id}, headers=headers["admin"]
    )
    assert answer.status_code == 400 and answer.get_json()["field"] == "zone"
    opened = client.post("/api/v1/campaigns", json=body, headers=headers["admin"])
    assert opened.status_code == 201, opened.get_json()
    campaign = opened.get_json()["id"]
    answer = client.post(
        f"/api/v1/campaigns/{campaign}/assign",
        json={"officers": [people["officer_ja"].id]},
        headers=headers["admin"],
    )
    assert answer.status_code == 400 and answer.get_json()["field"] == "officers"
