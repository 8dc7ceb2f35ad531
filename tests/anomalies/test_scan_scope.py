"""A re-check of a few records agrees with a full scan, touches only their flags, and a
scan that finds the same violations again leaves no trace in the history."""

from __future__ import annotations

import sqlalchemy as sa
from shapely.geometry import box

from inventory import models as m
from inventory.services.anomalies import RULES, scan
from inventory.services.anomalies.engine import recheck
from tests import factories as f
from tests.anomalies.conftest import AS_OF, days


def _open(session) -> set[tuple[str, str]]:
    return set(
        session.execute(
            sa.select(m.AnomalyFlag.rule, m.AnomalyFlag.fingerprint).where(
                m.AnomalyFlag.status == m.FlagStatus.OPEN
            )
        ).all()
    )


def test_a_recheck_finds_what_a_full_scan_finds_for_its_records_and_nothing_else(db_session):
    # Two overlapping parcels (a pair rule) and two contracts past their end.
    west = f.square(metres=30)
    x0, y0, x1, y1 = west.bounds
    a = f.parcel(db_session, shape=west)
    b = f.parcel(db_session, shape=box(x1 - (x1 - x0) / 3, y0, x1 + (x1 - x0), y1))
    ended = f.contract(db_session, a, end_date=AS_OF - days(3))
    other = f.contract(db_session, f.parcel(db_session), end_date=AS_OF - days(5))

    recheck(db_session, parcel_ids=[b.id], as_of=AS_OF)
    after_parcel = _open(db_session)
    recheck(db_session, contract_ids=[ended.id], as_of=AS_OF)
    after_contract = _open(db_session)
    scan(db_session, as_of=AS_OF)
    full = _open(db_session)

    pair = ("parcel_overlap", f"parcel:{a.id}|parcel:{b.id}")
    assert pair in after_parcel  # found from either parcel of the pair
    assert ("contract_expired_active", f"contract:{ended.id}") in after_contract
    assert ("contract_expired_active", f"contract:{other.id}") not in after_contract
    assert after_contract <= full
    assert ("contract_expired_active", f"contract:{other.id}") in full


def test_every_rule_has_a_full_text_without_filter_and_a_scoped_one_with_it():
    for rule in RULES.values():
        full, scoped = rule.sql(False), rule.sql(True)
        assert "[[" not in full and "[[" not in scoped, rule.code
        assert "_ids AS int[]" not in full, rule.code
        assert "_ids AS int[]" in scoped, rule.code


def test_a_scan_that_finds_the_same_violations_again_writes_no_history(db_session):
    f.contract(db_session, end_date=AS_OF - days(1))
    scan(db_session, as_of=AS_OF, rules=["contract_expired_active"])
    count = (
        sa.select(sa.func.count())
        .select_from(m.ChangeRecord)
        .where(m.ChangeRecord.table_name == "anomaly_flag")
    )
    before = db_session.scalar(count)

    scan(db_session, as_of=AS_OF, rules=["contract_expired_active"])

    assert db_session.scalar(count) == before  # only last_seen_at moved
    f.contract(db_session, end_date=AS_OF - days(2))  # a second violation: a new flag
    scan(db_session, as_of=AS_OF, rules=["contract_expired_active"])
    assert db_session.scalar(count) == before + 1
