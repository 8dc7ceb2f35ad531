"""A save re-checks its record by the operator's thresholds, as the nightly scan does: with
INVENTORY_ANOMALY_ENDING_SOON_DAYS=60 a contract ending in 75 days is not ending soon,
whether it is saved through the API or the office pages."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from inventory import models as m
from inventory.services.anomalies import scan
from tests import factories as f


def _ending_soon(db_session, contract) -> m.FlagStatus | None:
    db_session.expire_all()
    return db_session.scalar(
        sa.select(m.AnomalyFlag.status).where(
            m.AnomalyFlag.rule == "contract_ending_soon",
            m.AnomalyFlag.contract_id == contract.id,
        )
    )


def _flagged_by_the_default(db_session, osh):
    """A contract ending in 75 days, flagged by a scan with the default 90 days."""
    today = dt.date.today()
    contract = f.contract(
        db_session,
        f.parcel(db_session, osh),
        start_date=today - dt.timedelta(days=300),
        end_date=today + dt.timedelta(days=75),
    )
    scan(db_session)
    assert _ending_soon(db_session, contract) == m.FlagStatus.OPEN
    return contract


def test_an_api_save_rechecks_with_the_operators_threshold(app, client, db_session, osh, headers):
    contract = _flagged_by_the_default(db_session, osh)
    app.config["ANOMALY_ENDING_SOON_DAYS"] = 60
    path = f"/api/v1/contracts/{contract.id}"
    version = client.get(path, headers=headers["admin"]).get_json()["version"]
    answer = client.patch(
        path, headers=headers["admin"], json={"version": version, "note": "проверено"}
    )
    assert answer.status_code == 200
    assert _ending_soon(db_session, contract) == m.FlagStatus.RESOLVED


def test_an_office_save_rechecks_with_the_operators_threshold(app, db_session, osh, sign_in):
    contract = _flagged_by_the_default(db_session, osh)
    app.config["ANOMALY_ENDING_SOON_DAYS"] = 60
    answer = sign_in("officer_osh").post(
        f"/office/contracts/{contract.id}/payments",
        data={"paid_on": dt.date.today().isoformat(), "amount": "1 000,00"},
    )
    assert answer.status_code == 303
    assert _ending_soon(db_session, contract) == m.FlagStatus.RESOLVED
