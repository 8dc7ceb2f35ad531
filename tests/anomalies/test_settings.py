"""The scan judges by the settings it is given: the nightly scan, a save's re-check and
the command line all by the operator's thresholds, the documented defaults otherwise."""

from __future__ import annotations

import datetime as dt
import sys

import sqlalchemy as sa
from click.testing import CliRunner

from inventory import models as m
from inventory.cli import main
from inventory.services.anomalies.engine import recheck, recheck_record
from tests import factories as f
from tests.anomalies.conftest import AS_OF, days, flags

SIXTY = {"ANOMALY_ENDING_SOON_DAYS": 60}


def _status(session, contract) -> m.FlagStatus | None:
    return session.scalar(
        sa.select(m.AnomalyFlag.status).where(
            m.AnomalyFlag.rule == "contract_ending_soon",
            m.AnomalyFlag.fingerprint == f"contract:{contract.id}",
        )
    )


def test_a_contract_ending_in_75_days_is_ending_soon_by_default_not_with_60(db_session):
    contract = f.contract(db_session, end_date=AS_OF + days(75))

    assert f"contract:{contract.id}" not in flags(
        db_session, "contract_ending_soon", settings=SIXTY
    )
    assert f"contract:{contract.id}" in flags(db_session, "contract_ending_soon")


def test_a_save_rechecks_by_the_settings_it_is_given_and_by_the_defaults_without(db_session):
    # recheck_record() judges as of today, as a save does.
    contract = f.contract(db_session, end_date=dt.date.today() + days(75))

    recheck_record(db_session, contract, SIXTY)
    assert _status(db_session, contract) is None

    recheck_record(db_session, contract)  # no settings: the documented 90 days
    assert _status(db_session, contract) == m.FlagStatus.OPEN

    recheck_record(db_session, contract, SIXTY)
    assert _status(db_session, contract) == m.FlagStatus.RESOLVED


def test_a_recheck_and_the_scan_agree_when_given_the_same_settings(db_session):
    contract = f.contract(db_session, end_date=AS_OF + days(75))
    flags(db_session, "contract_ending_soon", settings=SIXTY)
    recheck(db_session, contract_ids=[contract.id], as_of=AS_OF, settings=SIXTY)
    flags(db_session, "contract_ending_soon", settings=SIXTY)

    assert _status(db_session, contract) is None


def test_inventory_scan_judges_by_the_apps_settings(app, monkeypatch):
    from inventory.database import session_scope

    monkeypatch.setattr(sys.modules["inventory.cli.scan"], "make_app", lambda: app)
    with app.app_context(), session_scope(app) as session:
        f.contract(session, end_date=AS_OF + days(75))
    args = ["scan", "--as-of", str(AS_OF), "--rule", "contract_ending_soon", "--json"]

    app.config["ANOMALY_ENDING_SOON_DAYS"] = 60
    assert '"new": 0' in CliRunner().invoke(main, args).output
    app.config["ANOMALY_ENDING_SOON_DAYS"] = 90
    assert '"new": 1' in CliRunner().invoke(main, args).output
