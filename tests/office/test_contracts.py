"""Contract pages: create, lifecycle, amend and renew, payments, arrears and the norm."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from inventory import models as m
from tests import factories as f


def test_an_officer_creates_a_draft_and_activates_it(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    lessee = f.lessee(db_session, osh)
    client = sign_in("officer_osh")
    answer = client.post("/office/contracts/new", data={
        "number": "ОШ-2026-0100", "lessee_id": str(lessee.id), "start_date": "2026-01-01",
        "end_date": "2028-12-31", "rent_amount": "12 500,00", "rent_period": "month",
        "basis": "auction", "status": "draft", "contracted_use": "trade",
        "objects": str(parcel.id)})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    contract = db_session.scalars(sa.select(m.LeaseContract)).one()
    assert contract.status == m.ContractStatus.DRAFT
    assert contract.rent_amount == Decimal("12500.00")
    assert [o.parcel_id for o in contract.objects] == [parcel.id]
    client.post(f"/office/contracts/{contract.id}/status",
                data={"status": "active", "version": str(contract.version)})
    db_session.refresh(contract)
    assert contract.status == m.ContractStatus.ACTIVE


def test_the_contract_page_shows_schedule_arrears_and_norm(db_session, sign_in, osh):
    f.base_rate(db_session, osh)
    f.zone(db_session, osh)
    contract = f.contract(db_session, start_date=dt.date(2024, 1, 1),
                          end_date=dt.date(2026, 12, 31), rent_amount=Decimal("12000"),
                          rent_period=m.RentPeriod.YEAR)
    f.payment(db_session, contract, amount=Decimal("1000.00"))
    from inventory.services import schedule
    schedule.rebuild(db_session, [contract.id])
    client = sign_in("officer_osh")
    page = client.get(f"/office/contracts/{contract.id}?lang=en").get_data(as_text=True)
    assert "Payment schedule" in page and 'class="paid"' in page and 'class="overdue"' in page
    assert "Normative annual rent" in page and "Arrears" in page
    client.post(f"/office/contracts/{contract.id}/payments",
                data={"paid_on": "2024-03-01", "amount": "500"})
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Payment)) == 2


def test_a_renewal_is_a_new_linked_contract_and_the_old_one_is_kept(db_session, sign_in,
                                                                      osh):
    old = f.contract(db_session, end_date=dt.date(2026, 12, 31))
    client = sign_in("officer_osh")
    assert client.get(f"/office/contracts/{old.id}/renew").status_code == 200
    answer = client.post(f"/office/contracts/{old.id}/renew", data={
        "number": "ОШ-2027-0001", "end_date": "2029-12-31", "version": str(old.version)})
    assert answer.status_code == 302
    new = db_session.scalars(sa.select(m.LeaseContract).where(
        m.LeaseContract.number == "ОШ-2027-0001")).one()
    db_session.refresh(old)
    assert new.previous_id == old.id and new.relation == m.ContractRelation.RENEWAL
    assert old.status == m.ContractStatus.SUPERSEDED


def test_a_stale_amendment_is_refused(db_session, sign_in, osh):
    old = f.contract(db_session)
    answer = sign_in("officer_osh").post(f"/office/contracts/{old.id}/amend?lang=en", data={
        "number": "ОШ-2027-0002", "start_date": "2026-06-01", "version": "99"})
    assert answer.status_code == 409
    db_session.refresh(old)
    assert old.status == m.ContractStatus.ACTIVE
