"""Contracts through the API: lifecycle, amendments and renewals, arrears and the norm."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inventory.models import LeaseContract
from inventory.services import schedule
from tests import factories as f


def _contract_body(lessee_id, parcel_id, **extra):
    return {
        "municipality": "osh",
        "number": "ОШ-2025-0100",
        "lessee_id": lessee_id,
        "start_date": "2025-01-01",
        "end_date": "2027-12-31",
        "contracted_use": "trade",
        "rent_amount": 60000,
        "basis": "auction",
        "leased_area": 300,
        "objects": [{"parcel_id": parcel_id}],
        **extra,
    }


def test_a_contract_is_created_with_its_schedule(client, db_session, headers, osh):
    parcel, lessee = f.parcel(db_session, osh), f.lessee(db_session, osh)
    response = client.post(
        "/api/v1/contracts",
        headers=headers["officer_osh"],
        json=_contract_body(lessee.id, parcel.id, status="active"),
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["objects"] == [
        {
            "parcel_id": parcel.id,
            "building_id": None,
            "ident_code": parcel.ident_code,
            "inventory_number": None,
            "leased_area": None,
        }
    ]
    contract = db_session.get(LeaseContract, body["id"])
    assert len(contract.schedule) == 36 and contract.schedule[0].amount == Decimal("5000.00")


def test_the_status_follows_the_lifecycle(client, db_session, headers, osh):
    contract = f.contract(db_session, f.parcel(db_session, osh), status="draft")
    url, officer = f"/api/v1/contracts/{contract.id}", headers["officer_osh"]
    wrong = client.patch(url, headers=officer, json={"version": 1, "status": "expired"})
    assert wrong.status_code == 400 and wrong.get_json()["field"] == "status"
    active = client.patch(url, headers=officer, json={"version": 1, "status": "active"})
    assert active.status_code == 200 and active.get_json()["status"] == "active"
    ended = client.patch(url, headers=officer, json={"version": 2, "status": "terminated"})
    assert ended.get_json()["terminated_on"] == dt.date.today().isoformat()


def test_a_lessee_of_another_city_is_refused(client, db_session, headers, osh, jalalabad):
    parcel, stranger = f.parcel(db_session, osh), f.lessee(db_session, jalalabad)
    response = client.post(
        "/api/v1/contracts",
        headers=headers["officer_osh"],
        json=_contract_body(stranger.id, parcel.id),
    )
    assert response.status_code == 400 and response.get_json()["field"] == "lessee_id"


def test_an_amendment_keeps_the_old_contract_as_superseded(client, db_session, headers, osh):
    old = f.contract(
        db_session,
        f.parcel(db_session, osh),
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2030, 12, 31),
    )
    response = client.post(
        f"/api/v1/contracts/{old.id}/amend",
        headers=headers["officer_osh"],
        json={"version": old.version, "number": old.number + "/1", "rent_amount": 150000},
    )
    assert response.status_code == 201, response.get_json()
    new = response.get_json()
    assert new["previous_id"] == old.id and new["relation"] == "amendment"
    assert new["status"] == "active" and new["rent_amount"] == 150000
    assert new["objects"][0]["parcel_id"] == old.objects[0].parcel_id
    previous = client.get(f"/api/v1/contracts/{old.id}", headers=headers["auditor"]).get_json()
    assert previous["status"] == "superseded"
    assert previous["terminated_on"] == (dt.date.today() - dt.timedelta(days=1)).isoformat()
    again = client.patch(
        f"/api/v1/contracts/{old.id}",
        headers=headers["officer_osh"],
        json={"version": previous["version"], "note": "x"},
    )
    assert again.status_code == 409


def test_a_renewal_starts_after_the_old_end(client, db_session, headers, osh):
    old = f.contract(
        db_session,
        f.parcel(db_session, osh),
        start_date=dt.date(2021, 1, 1),
        end_date=dt.date(2025, 12, 31),
        status="expired",
    )
    response = client.post(
        f"/api/v1/contracts/{old.id}/renew",
        headers=headers["officer_osh"],
        json={"version": old.version, "number": "ОШ-2026-0001", "end_date": "2030-12-31"},
    )
    assert response.status_code == 201, response.get_json()
    new = response.get_json()
    assert (new["start_date"], new["relation"]) == ("2026-01-01", "renewal")
    db_session.refresh(old)
    assert old.status == "superseded"


def test_a_renewal_needs_a_new_end_date(client, db_session, headers, osh):
    old = f.contract(db_session, f.parcel(db_session, osh))
    response = client.post(
        f"/api/v1/contracts/{old.id}/renew",
        headers=headers["officer_osh"],
        json={"version": old.version, "number": "ОШ-2029-0001"},
    )
    assert response.status_code == 400 and response.get_json()["field"] == "end_date"


def test_arrears_and_the_norm_are_in_the_contract_json(client, db_session, headers, osh):
    f.zone(db_session, osh, kz=Decimal("1.2"))
    f.base_rate(db_session, osh, rate=Decimal("100"))
    kf = f.use(db_session, "trade").kf
    contract = f.contract(
        db_session,
        f.parcel(db_session, osh),
        leased_area=Decimal("500"),
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
        rent_amount=Decimal("120000"),
    )
    schedule.rebuild(db_session, [contract.id])
    for month in (1, 2, 3):
        f.payment(db_session, contract, paid_on=dt.date(2024, month, 10))
    body = client.get(f"/api/v1/contracts/{contract.id}", headers=headers["auditor"]).get_json()
    assert body["arrears"] == {"due": 120000.0, "paid": 30000.0, "amount": 90000.0}
    expected = round(500 * 100 * 1.2 * float(kf), 2)
    assert body["rent_norm"]["annual"] == expected
    assert body["rent_norm"]["ratio"] == round(120000 / expected, 3)


def test_a_contract_on_a_building_only_has_no_land_norm(client, db_session, headers, osh):
    lessee, building = f.lessee(db_session, osh), f.building(db_session)
    response = client.post(
        "/api/v1/contracts",
        headers=headers["officer_osh"],
        json={**_contract_body(lessee.id, None), "objects": [{"building_id": building.id}]},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["rent_norm"] is None


def test_payments_and_inspections_belong_to_their_citys_officers(client, db_session, headers, osh):
    contract = f.contract(db_session, f.parcel(db_session, osh))
    paid = client.post(
        "/api/v1/payments",
        headers=headers["officer_osh"],
        json={"contract_id": contract.id, "paid_on": "2025-03-10", "amount": 10000},
    )
    assert paid.status_code == 201 and paid.get_json()["municipality"] == "osh"
    refused = client.post(
        "/api/v1/payments",
        headers=headers["officer_ja"],
        json={"contract_id": contract.id, "paid_on": "2025-04-10", "amount": 10000},
    )
    assert refused.status_code == 403
    seen = client.post(
        "/api/v1/inspections",
        headers=headers["officer_osh"],
        json={
            "parcel_id": contract.objects[0].parcel_id,
            "inspected_on": "2025-05-01",
            "inspector": "А. Осмонов",
            "observed_use": "catering",
            "occupied": True,
        },
    )
    assert seen.status_code == 201, seen.get_json()
    assert seen.get_json()["observed_use"] == "catering"


def test_changing_only_the_objects_moves_the_version_on(client, db_session, headers, osh):
    first, second = f.parcel(db_session, osh), f.parcel(db_session, osh)
    contract = f.contract(db_session, first)
    url = f"/api/v1/contracts/{contract.id}"
    answer = client.patch(
        url,
        headers=headers["officer_osh"],
        json={"version": contract.version, "objects": [{"parcel_id": second.id}]},
    )
    assert answer.status_code == 200 and answer.get_json()["version"] == contract.version + 1
    stale = client.patch(
        url,
        headers=headers["officer_osh"],
        json={"version": contract.version, "objects": [{"parcel_id": first.id}]},
    )
    assert stale.status_code == 409 and stale.get_json()["field"] == "version"
    history = client.get(f"{url}/history", headers=headers["officer_osh"]).get_json()["items"]
    assert {"lease_contract", "contract_object"} <= {change["table"] for change in history}
