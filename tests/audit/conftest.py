"""Fixtures of the auditor workspace tests: two cities, people, and a flag in each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.anomalies import scan
from tests import factories as f

JALAL_ABAD = f.JALAL_ABAD
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture()
def flagged(db_session, osh, jalalabad):
    """An expired-but-active contract in Osh (lessee with a Cyrillic name and a formula
    for a number) and one in Jalal-Abad, scanned: two open flags."""
    osh_contract = f.contract(
        db_session,
        f.parcel(db_session, osh),
        number='=HYPERLINK("x")',
        lessee=f.lessee(db_session, osh, name="ОсОО «Ак-Тилек»"),
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2026, 3, 31),
        rent_amount=Decimal("60000.00"),
    )
    ja_parcel = f.parcel(db_session, jalalabad, shape=f.square(*JALAL_ABAD))
    ja_contract = f.contract(
        db_session,
        ja_parcel,
        number="ЖА-2020-0001",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2026, 5, 31),
    )
    scan(db_session, as_of=AS_OF, rules=["contract_expired_active"])
    db_session.flush()
    by_contract = {fl.contract_id: fl for fl in db_session.scalars(sa.select(m.AnomalyFlag))}
    return {
        "osh": by_contract[osh_contract.id],
        "ja": by_contract[ja_contract.id],
        "osh_contract": osh_contract,
        "ja_contract": ja_contract,
    }


def sign_in(client, person, password="correct horse 42"):
    response = client.post("/auth/login", data={"username": person.username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
