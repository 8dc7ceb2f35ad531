"""A full scan on several connections finds exactly what it finds on one, reads the same
snapshot as the scan's session, and falls back to one connection when it must."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so
from shapely.geometry import box

from inventory import models as m
from inventory.database.session import make_engine
from inventory.services.anomalies import lanes, scan
from inventory.services.anomalies.rules import RULES
from inventory.services.anomalies.rules.base import bind_parameters
from tests import factories as f
from tests.anomalies.conftest import AS_OF, days
from tests.conftest import throwaway_database


@pytest.fixture(scope="module")
def committed():
    """A committed database with violations of several rules (lanes see committed data
    only, so the test's usual rolled-back transaction will not do)."""
    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session, session.begin():
            west = f.square(metres=30)
            x0, y0, x1, y1 = west.bounds
            a = f.parcel(session, shape=west)
            f.parcel(session, shape=box(x1 - (x1 - x0) / 3, y0, x1 + (x1 - x0), y1))
            for n in range(3):
                f.contract(session, end_date=AS_OF - days(3 + n))
            f.contract(session, a, end_date=AS_OF + days(20))
            f.parcel(session, shape=None, ident_code="no-such-code")
        yield engine
        engine.dispose()


def _scan(engine, workers: int, *, commit: bool = False) -> tuple[dict, set]:
    with so.Session(engine) as session:
        result = scan(session, as_of=AS_OF, settings={"ANOMALY_SCAN_WORKERS": workers})
        flags = set(
            session.execute(
                sa.select(m.AnomalyFlag.rule, m.AnomalyFlag.fingerprint, m.AnomalyFlag.message)
            ).all()
        )
        if commit:
            session.commit()
        else:
            session.rollback()
    return result.as_dict()["rules"], flags


@pytest.fixture()
def lane_calls(monkeypatch) -> list[str]:
    """The rules collected on lanes during the test."""
    calls: list[str] = []
    collect = lanes.Lanes._collect

    def spy(self, rule, params):
        calls.append(rule.code)
        return collect(self, rule, params)

    monkeypatch.setattr(lanes.Lanes, "_collect", spy)
    return calls


def test_two_lanes_find_exactly_what_one_connection_finds(committed, lane_calls):
    one_counts, one_flags = _scan(committed, 1)
    assert lane_calls == []

    two_counts, two_flags = _scan(committed, 2)

    assert two_counts == one_counts
    assert two_flags == one_flags
    assert {"contract_expired_active", "parcel_overlap", "dq_bad_code", "contract_ending_soon"} <= {
        rule for rule, _, _ in two_flags
    }
    # every rule but the one that refreshes its stored results ran on a lane
    assert "parcel_overlap" not in lane_calls
    assert "contract_expired_active" in lane_calls and len(lane_calls) == len(RULES) - 1


def test_lane_tables_are_gone_after_a_scan_and_leftovers_of_dead_scans_are_dropped(
    committed, lane_calls
):
    with committed.begin() as conn:  # what a scan that failed leaves behind
        conn.execute(sa.text("CREATE UNLOGGED TABLE anomaly_found_99999999_misuse (x int)"))

    _scan(committed, 2, commit=True)

    with committed.connect() as conn:
        left = conn.scalars(
            sa.text("SELECT relname FROM pg_class WHERE relname LIKE 'anomaly_found_%'")
        ).all()
    assert lane_calls and left == []


def test_a_session_with_unsaved_writes_scans_on_its_own_and_sees_them(committed, lane_calls):
    with so.Session(committed) as session:
        ended = f.contract(session, end_date=AS_OF - days(9)).id  # flushed, not committed
        scan(
            session,
            as_of=AS_OF,
            rules=["contract_expired_active", "misuse"],
            settings={"ANOMALY_SCAN_WORKERS": 2},
        )
        found = set(session.scalars(sa.select(m.AnomalyFlag.fingerprint)))
        session.rollback()

    assert f"contract:{ended}" in found
    assert lane_calls == []


def test_lanes_read_the_snapshot_of_the_scan_session_not_later_commits(committed):
    with so.Session(committed) as session:
        session.execute(sa.text("SELECT 1"))  # the session's transaction has begun
        snapshot = lanes.exportable_snapshot(session)
        pid = session.scalar(sa.text("SELECT pg_backend_pid()"))
        with so.Session(committed) as other, other.begin():
            late = f.contract(other, end_date=AS_OF - days(30)).id
        rule = RULES["contract_expired_active"]
        params = bind_parameters(
            rule,
            as_of=AS_OF,
            municipality_id=None,
            parcel_ids=None,
            contract_ids=None,
            settings=None,
        )
        with lanes.Lanes(committed, snapshot, pid, 1, {}) as pool:
            table, _ = pool.submit(rule, params).result()
        seen = set(session.scalars(sa.text(f"SELECT fingerprint FROM {table}")))
        session.execute(sa.text(f"DROP TABLE {table}"))
        session.commit()
    assert f"contract:{late}" not in seen
    assert seen  # the committed contracts past their end are there
