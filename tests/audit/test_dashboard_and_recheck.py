"""The dashboard's sums on a small case, and flags re-checked as soon as records change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from inventory import models as m
from inventory.services.anomalies import dashboard
from inventory.services.permissions import Actor
from inventory.services.schedule import rebuild
from tests import factories as f
from tests.audit.conftest import sign_in


def test_expected_collected_and_arrears_of_a_year(db_session, osh, people):
    # 1,000 som a month from January to June 2025: 6 instalments due on the 10th.
    contract = f.contract(
        db_session,
        f.parcel(db_session, osh),
        rent_amount=Decimal("1000"),
        rent_period=m.RentPeriod.MONTH,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 6, 30),
    )
    rebuild(db_session, [contract.id])
    f.payment(db_session, contract, paid_on=dt.date(2025, 1, 12), amount=Decimal("1000"))
    f.payment(db_session, contract, paid_on=dt.date(2025, 3, 1), amount=Decimal("2500"))
    f.payment(db_session, contract, paid_on=dt.date(2024, 12, 30), amount=Decimal("300"))
    auditor = Actor.of(people["auditor"])
    figures = dashboard.build(db_session, auditor, year=2025, municipality="osh")
    assert figures.expected == Decimal("6000.00")
    assert figures.collected == Decimal("3500.00")
    assert figures.arrears == Decimal("2200.00")  # 6000 due - 3800 paid by 31 Dec
    assert figures.contracts_in_arrears == 1
    assert figures.months[2] == (3, Decimal("1000.00"), Decimal("2500.00"))
    officer_ja = Actor.of(people["officer_ja"])
    assert dashboard.build(db_session, officer_ja, year=2025).expected == 0


def test_the_dashboard_page_shows_the_numbers_and_an_svg_chart(client, db_session, osh, people):
    contract = f.contract(
        db_session,
        f.parcel(db_session, osh),
        rent_amount=Decimal("1200"),
        rent_period=m.RentPeriod.MONTH,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )
    rebuild(db_session, [contract.id])
    sign_in(client, people["auditor"])
    page = client.get("/audit/dashboard?municipality=osh&year=2025&lang=en").get_data(as_text=True)
    assert '<td class="num" id="expected">14,400.00</td>' in page
    assert "<svg" in page and "<rect" in page
    assert client.get("/audit/dashboard?year=abc").status_code == 400


def test_an_edit_through_the_api_rechecks_the_record_at_once(client, db_session, osh, headers):
    today = dt.date.today()
    contract = f.contract(
        db_session,
        f.parcel(db_session, osh),
        start_date=today - dt.timedelta(days=400),
        end_date=today + dt.timedelta(days=200),
    )

    def flags():
        return {
            (fl.rule, fl.status.value)
            for fl in db_session.scalars(
                sa.select(m.AnomalyFlag).where(m.AnomalyFlag.contract_id == contract.id)
            )
        }

    body = client.get(f"/api/v1/contracts/{contract.id}", headers=headers["admin"]).get_json()
    response = client.patch(
        f"/api/v1/contracts/{contract.id}",
        headers=headers["admin"],
        json={"version": body["version"], "end_date": (today + dt.timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 200, response.get_json()
    assert ("contract_ending_soon", "open") in flags()
    body = client.get(f"/api/v1/contracts/{contract.id}", headers=headers["admin"]).get_json()
    client.patch(
        f"/api/v1/contracts/{contract.id}",
        headers=headers["admin"],
        json={"version": body["version"], "end_date": (today + dt.timedelta(days=300)).isoformat()},
    )
    assert ("contract_ending_soon", "resolved") in flags()
