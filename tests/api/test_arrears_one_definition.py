"""One answer to "how much is owed": a contract's `arrears` figure (API, office) is what
the `arrears` rule finds, grace period and minimum amount included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.anomalies import scan
from tests import factories as f


def _owed(client, headers, contract) -> float:
    body = client.get(f"/api/v1/contracts/{contract.id}", headers=headers["auditor"]).get_json()
    return body["arrears"]["amount"]


def _flag(db_session, contract):
    return db_session.scalar(
        sa.select(m.AnomalyFlag).where(
            m.AnomalyFlag.rule == "arrears",
            m.AnomalyFlag.contract_id == contract.id,
            m.AnomalyFlag.status == m.FlagStatus.OPEN,
        )
    )


@pytest.mark.parametrize(
    ("days_ago", "amount", "owed"),
    [
        (10, "5000.00", 0.0),  # inside the 30 days of grace
        (40, "800.00", 0.0),  # past the grace, under the 1,000 som minimum
        (40, "5000.00", 5000.0),
    ],
)
def test_the_arrears_figure_is_the_flags_amount(
    client, db_session, headers, osh, days_ago, amount, owed
):
    contract = f.contract(db_session, f.parcel(db_session, osh))
    due = dt.date.today() - dt.timedelta(days=days_ago)
    db_session.add(m.ScheduledPayment(contract=contract, due_date=due, amount=Decimal(amount)))
    db_session.flush()

    scan(db_session, rules=["arrears"])

    assert _owed(client, headers, contract) == owed
    flag = _flag(db_session, contract)
    if owed:
        assert flag is not None and float(flag.evidence["owed"]) == owed
    else:
        assert flag is None


def test_the_figure_reads_the_operators_thresholds(client, app, db_session, headers, osh):
    contract = f.contract(db_session, f.parcel(db_session, osh))
    due = dt.date.today() - dt.timedelta(days=40)
    db_session.add(m.ScheduledPayment(contract=contract, due_date=due, amount=Decimal("5000")))
    db_session.flush()
    app.config["ANOMALY_ARREARS_GRACE_DAYS"] = 60
    assert _owed(client, headers, contract) == 0.0
    app.config["ANOMALY_ARREARS_GRACE_DAYS"] = 30
    app.config["ANOMALY_ARREARS_MIN_AMOUNT"] = 10000
    assert _owed(client, headers, contract) == 0.0
