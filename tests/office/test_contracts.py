"""Contract pages: create, lifecycle, amend and renew, payments, arrears and the norm."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from inventory import models as m
from tests import factories as f
from tests.office.conftest import JALAL_ABAD
from tests.security.test_inline_scripts import script_sources


def test_an_officer_creates_a_draft_and_activates_it(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    lessee = f.lessee(db_session, osh)
    client = sign_in("officer_osh")
    answer = client.post(
        "/office/contracts/new",
        data={
            "number": "ОШ-2026-0100",
            "lessee_id": str(lessee.id),
            "start_date": "2026-01-01",
            "end_date": "2028-12-31",
            "rent_amount": "12 500,00",
            "rent_period": "month",
            "basis": "auction",
            "status": "draft",
            "contracted_use": "trade",
            "objects": "shown",
            "object_ref": [parcel.ident_code, ""],
            "object_area": ["250,5", ""],
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    contract = db_session.scalars(sa.select(m.LeaseContract)).one()
    assert contract.status == m.ContractStatus.DRAFT
    assert contract.rent_amount == Decimal("12500.00")
    assert [(o.parcel_id, o.leased_area) for o in contract.objects] == [
        (parcel.id, Decimal("250.5"))
    ]
    client.post(
        f"/office/contracts/{contract.id}/status",
        data={"status": "active", "version": str(contract.version)},
    )
    db_session.refresh(contract)
    assert contract.status == m.ContractStatus.ACTIVE


def test_the_contract_page_shows_schedule_arrears_and_norm(db_session, sign_in, osh):
    f.base_rate(db_session, osh)
    f.zone(db_session, osh)
    contract = f.contract(
        db_session,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 12, 31),
        rent_amount=Decimal("12000"),
        rent_period=m.RentPeriod.YEAR,
    )
    f.payment(db_session, contract, amount=Decimal("1000.00"))
    from inventory.services import schedule

    schedule.rebuild(db_session, [contract.id])
    client = sign_in("officer_osh")
    page = client.get(f"/office/contracts/{contract.id}?lang=en").get_data(as_text=True)
    assert "Payment schedule" in page and 'class="paid"' in page and 'class="overdue"' in page
    assert "Normative annual rent" in page and "Arrears" in page
    client.post(
        f"/office/contracts/{contract.id}/payments", data={"paid_on": "2024-03-01", "amount": "500"}
    )
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Payment)) == 2


def test_a_renewal_is_a_new_linked_contract_and_the_old_one_is_kept(db_session, sign_in, osh):
    old = f.contract(db_session, end_date=dt.date(2026, 12, 31))
    client = sign_in("officer_osh")
    assert client.get(f"/office/contracts/{old.id}/renew").status_code == 200
    answer = client.post(
        f"/office/contracts/{old.id}/renew",
        data={"number": "ОШ-2027-0001", "end_date": "2029-12-31", "version": str(old.version)},
    )
    assert answer.status_code == 302
    new = db_session.scalars(
        sa.select(m.LeaseContract).where(m.LeaseContract.number == "ОШ-2027-0001")
    ).one()
    db_session.refresh(old)
    assert new.previous_id == old.id and new.relation == m.ContractRelation.RENEWAL
    assert old.status == m.ContractStatus.SUPERSEDED


def test_a_stale_amendment_is_refused(db_session, sign_in, osh):
    old = f.contract(db_session)
    answer = sign_in("officer_osh").post(
        f"/office/contracts/{old.id}/amend?lang=en",
        data={"number": "ОШ-2027-0002", "start_date": "2026-06-01", "version": "99"},
    )
    assert answer.status_code == 409
    db_session.refresh(old)
    assert old.status == m.ContractStatus.ACTIVE


def _edit_objects(client, contract, version, *rows):
    return client.post(
        f"/office/contracts/{contract.id}/edit?lang=en",
        data={
            "version": str(version),
            "objects": "shown",
            "object_ref": [ref for ref, _area in rows] + [""],
            "object_area": [area for _ref, area in rows] + [""],
        },
    )


def test_the_objects_of_a_contract_are_edited_with_their_leased_areas(db_session, sign_in, osh):
    first = f.parcel(db_session, osh)
    second = f.parcel(db_session, osh)
    kiosk = f.building(db_session, first, inventory_number="ОШ-З-0042")
    contract = f.contract(db_session, first)
    client = sign_in("officer_osh")
    form = client.get(f"/office/contracts/{contract.id}/edit?lang=en").get_data(as_text=True)
    assert f'value="{first.ident_code}"' in form  # the objects by code, ready to change
    answer = _edit_objects(
        client,
        contract,
        contract.version,
        (first.ident_code, "300"),
        (second.ident_code, ""),
        ("ОШ-З-0042", "42,5"),
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    db_session.refresh(contract)
    assert {(o.parcel_id, o.building_id, o.leased_area) for o in contract.objects} == {
        (first.id, None, Decimal("300")),
        (second.id, None, None),
        (None, kiosk.id, Decimal("42.5")),
    }
    assert contract.version == 2  # the contract itself moved on: stale saves conflict
    page = client.get(f"/office/contracts/{contract.id}?lang=en").get_data(as_text=True)
    assert "Leased object" in page and "ОШ-З-0042" in page
    # Removing an object: its row left blank.
    _edit_objects(client, contract, 2, (second.ident_code, ""))
    db_session.refresh(contract)
    assert [o.parcel_id for o in contract.objects] == [second.id]
    page = client.get(f"/office/contracts/{contract.id}?lang=en").get_data(as_text=True)
    assert "removed" in page


def test_a_stale_edit_of_the_objects_is_a_conflict(db_session, sign_in, osh):
    first, second = f.parcel(db_session, osh), f.parcel(db_session, osh)
    contract = f.contract(db_session, first)
    loaded = contract.version
    client = sign_in("officer_osh")
    assert _edit_objects(client, contract, loaded, (second.ident_code, "")).status_code == 302
    answer = _edit_objects(client, contract, loaded, (first.ident_code, "99"))
    assert answer.status_code == 409 and "Nothing was overwritten" in answer.get_data(as_text=True)
    db_session.refresh(contract)
    assert [o.parcel_id for o in contract.objects] == [second.id]


@pytest.mark.parametrize("ref", ["5-08-01-9999-9999", "5-09-01-0001-0001"])
def test_an_object_not_in_the_city_is_named_in_the_error(db_session, sign_in, osh, jalalabad, ref):
    f.parcel(db_session, jalalabad, shape=f.square(*JALAL_ABAD), ident_code="5-09-01-0001-0001")
    contract = f.contract(db_session, f.parcel(db_session, osh))
    answer = _edit_objects(sign_in("officer_osh"), contract, contract.version, (ref, "10"))
    assert answer.status_code == 400 and ref in answer.get_data(as_text=True)
    db_session.refresh(contract)
    assert contract.version == 1


def test_a_contract_page_maps_its_leased_parcels(db_session, sign_in, osh):
    contract = f.contract(db_session, f.parcel(db_session, osh))
    page = sign_in("officer_osh").get(f"/office/contracts/{contract.id}?lang=en")
    html = page.get_data(as_text=True)
    assert "leaflet.js" in html and "geo_json" in html
    assert "'unsafe-inline'" not in script_sources(page)


def test_an_amendment_may_change_the_leased_area(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    old = f.contract(
        db_session, parcel, start_date=dt.date(2025, 1, 1), end_date=dt.date(2030, 12, 31)
    )
    client = sign_in("officer_osh")
    form = client.get(f"/office/contracts/{old.id}/amend").get_data(as_text=True)
    assert f'value="{parcel.ident_code}"' in form  # the old objects, ready to change
    answer = client.post(
        f"/office/contracts/{old.id}/amend?lang=en",
        data={
            "number": "ОШ-2026-0009",
            "start_date": "2026-07-01",
            "version": str(old.version),
            "objects": "shown",
            "object_ref": [parcel.ident_code, ""],
            "object_area": ["120", ""],
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    new = db_session.scalars(
        sa.select(m.LeaseContract).where(m.LeaseContract.number == "ОШ-2026-0009")
    ).one()
    assert [(o.parcel_id, o.leased_area) for o in new.objects] == [(parcel.id, Decimal("120"))]
    page = client.get(f"/office/contracts/{new.id}?lang=en").get_data(as_text=True)
    assert "Earlier and later contracts" in page and old.number in page


def test_an_officer_cannot_probe_another_citys_codes_through_the_form(
    db_session, sign_in, osh, jalalabad
):
    f.parcel(db_session, jalalabad, shape=f.square(*JALAL_ABAD), ident_code="5-09-01-0001-0002")
    answer = sign_in("officer_osh").post(
        "/office/contracts/new",
        data={
            "municipality": "jalal-abad",
            "number": "X-1",
            "objects": "shown",
            "object_ref": ["5-09-01-0001-0002"],
            "object_area": [""],
        },
    )
    assert answer.status_code == 403
