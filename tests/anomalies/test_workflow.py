"""The scan keeps flags in step with the data, and officers' decisions stick."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.anomalies import list_flags, scan, set_status
from inventory.services.errors import ValidationError
from tests import factories as f
from tests.anomalies.conftest import AS_OF, days, flags


def _mismatched(session, factor: str = "1.5") -> m.Parcel:
    parcel = f.parcel(session)
    parcel.documented_area = round(
        session.scalar(
            sa.select(sa.func.inventory_area_m2(m.Parcel.geom)).where(m.Parcel.id == parcel.id)
        )
        * Decimal(factor),
        2,
    )
    session.flush()
    return parcel


def _flag(session, rule: str) -> m.AnomalyFlag:
    return session.scalars(sa.select(m.AnomalyFlag).where(m.AnomalyFlag.rule == rule)).one()


def test_scanning_twice_adds_nothing_the_second_time(db_session):
    _mismatched(db_session)

    first = scan(db_session, as_of=AS_OF)
    second = scan(db_session, as_of=AS_OF)

    assert first.rules["area_mismatch"].new == 1
    assert second.rules["area_mismatch"].new == 0
    assert second.rules["area_mismatch"].still_open == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.AnomalyFlag)) == 1


def test_a_dismissed_flag_stays_dismissed_until_its_evidence_changes(db_session):
    parcel = _mismatched(db_session)
    officer = f.user(db_session)
    flags(db_session, "area_mismatch")
    flag = _flag(db_session, "area_mismatch")
    set_status(db_session, flag.id, "dismissed", officer.id, reason="papers are wrong")

    again = scan(db_session, as_of=AS_OF + days(30), rules=["area_mismatch"])
    db_session.refresh(flag)
    assert again.rules["area_mismatch"].still_closed == 1
    assert flag.status == m.FlagStatus.DISMISSED and flag.reason == "papers are wrong"

    parcel.documented_area = parcel.documented_area * 2
    db_session.flush()
    changed = scan(db_session, as_of=AS_OF + days(31), rules=["area_mismatch"])
    db_session.refresh(flag)
    assert changed.rules["area_mismatch"].reopened == 1
    assert flag.status == m.FlagStatus.OPEN
    assert "evidence changed" in flag.reason and "papers are wrong" in flag.reason


def test_a_dismissed_warning_is_not_reopened_just_because_a_day_passed(db_session):
    f.contract(db_session, end_date=AS_OF + days(60))
    flags(db_session, "contract_ending_soon")
    flag = _flag(db_session, "contract_ending_soon")
    set_status(db_session, flag.id, "dismissed", None, reason="renewal is being signed")

    scan(db_session, as_of=AS_OF + days(1), rules=["contract_ending_soon"])

    db_session.refresh(flag)
    assert flag.status == m.FlagStatus.DISMISSED
    assert flag.evidence["days_left"] == 59


def test_a_fixed_violation_is_resolved_automatically_with_a_note(db_session):
    parcel = _mismatched(db_session)
    flags(db_session, "area_mismatch")
    parcel.documented_area = parcel.measured_area
    db_session.flush()

    result = scan(db_session, as_of=AS_OF, rules=["area_mismatch"])

    flag = _flag(db_session, "area_mismatch")
    assert result.rules["area_mismatch"].auto_resolved == 1
    assert flag.status == m.FlagStatus.RESOLVED
    assert flag.reason == f"fixed: no longer detected on {AS_OF}"
    assert flag.status_changed_by_id is None


def test_a_violation_that_comes_back_reopens_the_flag_the_scan_resolved(db_session):
    parcel = _mismatched(db_session)
    flags(db_session, "area_mismatch")
    wrong = parcel.documented_area
    parcel.documented_area = parcel.measured_area
    db_session.flush()
    flags(db_session, "area_mismatch")
    parcel.documented_area = wrong
    db_session.flush()

    result = scan(db_session, as_of=AS_OF, rules=["area_mismatch"])

    assert result.rules["area_mismatch"].reopened == 1
    assert _flag(db_session, "area_mismatch").status == m.FlagStatus.OPEN


def test_rechecking_one_parcel_only_touches_its_own_flags(db_session):
    checked, other = _mismatched(db_session), _mismatched(db_session)
    flags(db_session, "area_mismatch")
    for parcel in (checked, other):
        parcel.documented_area = parcel.measured_area
    db_session.flush()

    result = scan(db_session, as_of=AS_OF, parcel_ids=[checked.id])

    assert result.rules["area_mismatch"].auto_resolved == 1
    statuses = dict(
        db_session.execute(sa.select(m.AnomalyFlag.parcel_id, m.AnomalyFlag.status)).all()
    )
    assert statuses == {checked.id: m.FlagStatus.RESOLVED, other.id: m.FlagStatus.OPEN}


def test_scanning_one_municipality_leaves_the_others_flags_alone(db_session):
    osh = _mismatched(db_session)
    nookat_town = f.municipality(db_session, "nookat", centre=(72.62, 40.26))
    f.parcel(db_session, nookat_town, shape=f.square(72.62, 40.26), documented_area=Decimal(1))
    flags(db_session, "area_mismatch")
    osh.documented_area = osh.measured_area
    db_session.flush()

    result = scan(db_session, as_of=AS_OF, municipality="nookat", rules=["area_mismatch"])

    assert result.rules["area_mismatch"].auto_resolved == 0
    assert result.rules["area_mismatch"].still_open == 1


def test_dismissing_a_flag_needs_a_reason(db_session):
    _mismatched(db_session)
    flags(db_session, "area_mismatch")
    flag = _flag(db_session, "area_mismatch")

    with pytest.raises(ValidationError):
        set_status(db_session, flag.id, "dismissed", None, reason="  ")
    confirmed = set_status(db_session, flag.id, "confirmed", None)
    assert confirmed.status == m.FlagStatus.CONFIRMED and confirmed.status_changed_at


def test_flags_can_be_listed_by_rule_status_and_municipality(db_session):
    _mismatched(db_session)
    f.contract(db_session, end_date=AS_OF + days(10))
    scan(db_session, as_of=AS_OF)

    listed = db_session.scalars(
        list_flags(
            db_session, municipality="osh", rules=["contract_ending_soon"], statuses=["open"]
        )
    ).all()

    assert [flag.rule for flag in listed] == ["contract_ending_soon"]
    everything = db_session.scalars(list_flags(db_session)).all()
    assert {flag.rule for flag in everything} == {"contract_ending_soon", "area_mismatch"}
