"""An officer's contract form moves the parcel's status: activating a contract leases the
parcel, terminating it frees the parcel again, and the public sees the same."""

from __future__ import annotations

import sqlalchemy as sa

from inventory import models as m
from tests import factories as f


def _status(session, parcel_id: int) -> str:
    return session.scalar(sa.text("SELECT status FROM parcel WHERE id = :id"), {"id": parcel_id})


def test_activating_and_terminating_a_contract_in_the_office(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    contract = f.contract(db_session, parcel, status=m.ContractStatus.DRAFT)
    assert _status(db_session, parcel.id) == "free"
    office = sign_in("officer_osh")

    office.post(
        f"/office/contracts/{contract.id}/status",
        data={"status": "active", "version": str(contract.version)},
    )
    db_session.refresh(contract)
    assert contract.status == m.ContractStatus.ACTIVE
    assert _status(db_session, parcel.id) == "leased"
    free_page = office.get("/free?lang=en").get_data(as_text=True)
    assert parcel.ident_code not in free_page

    office.post(
        f"/office/contracts/{contract.id}/status",
        data={"status": "terminated", "version": str(contract.version)},
    )
    db_session.refresh(contract)
    assert contract.status == m.ContractStatus.TERMINATED
    assert _status(db_session, parcel.id) == "free"
    assert parcel.ident_code in office.get("/free?lang=en").get_data(as_text=True)
