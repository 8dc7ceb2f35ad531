"""A re-check merges only the rules that find something about its records or have a flag
about them to close (anomalies/probe.py), and writes exactly what merging every rule its
records can scope writes."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from shapely.geometry import box

from inventory import models as m
from inventory.services.anomalies import engine, probe, scan, set_status
from inventory.services.anomalies.rules.base import bind_parameters, render
from tests import factories as f
from tests.anomalies.conftest import AS_OF, days


def _mismatched(session, factor: str) -> m.Parcel:
    """A parcel whose documented area is `factor` times its measured one."""
    parcel = f.parcel(session)
    measured = session.scalar(
        sa.select(sa.func.inventory_area_m2(m.Parcel.geom)).where(m.Parcel.id == parcel.id)
    )
    parcel.documented_area = round(measured * Decimal(factor), 2)
    session.flush()
    return parcel


def _flags(session) -> list[tuple]:
    """Every flag as the merges leave it, ids aside (a rolled-back run used others)."""
    return sorted(
        session.execute(
            sa.select(
                m.AnomalyFlag.rule,
                m.AnomalyFlag.fingerprint,
                m.AnomalyFlag.status,
                m.AnomalyFlag.reason,
                m.AnomalyFlag.message,
                m.AnomalyFlag.evidence_hash,
            )
        ).all()
    )


def _recheck_each(session, parcels: list[int], contracts: list[int]):
    """Re-check every record alone, as the records API does after each save."""
    results = [engine.recheck(session, parcel_ids=[i], as_of=AS_OF) for i in parcels]
    results += [engine.recheck(session, contract_ids=[i], as_of=AS_OF) for i in contracts]
    return [result.as_dict() for result in results], _flags(session)


def test_a_probed_recheck_writes_what_merging_every_rule_writes(db_session, monkeypatch):
    west = f.square(metres=30)
    x0, y0, x1, y1 = west.bounds
    a = f.parcel(db_session, shape=west)
    b = f.parcel(db_session, shape=box(x1 - (x1 - x0) / 3, y0, x1 + (x1 - x0), y1))
    ended = f.contract(db_session, a, end_date=AS_OF - days(3))
    ending = f.contract(db_session, end_date=AS_OF + days(20))
    mismatched = _mismatched(db_session, "1.5")
    fixed = f.parcel(db_session)
    good_code, fixed.ident_code = fixed.ident_code, "no-such-code"
    quiet = f.parcel(db_session)
    db_session.flush()
    scan(db_session, as_of=AS_OF)
    # An officer dismisses one flag (seen again, it stays dismissed), one parcel's code
    # is put right (its open flag must close though the rule finds nothing now), and a
    # quiet parcel gets a bad code (a new flag).
    area = db_session.scalars(
        sa.select(m.AnomalyFlag).where(m.AnomalyFlag.rule == "area_mismatch")
    ).one()
    set_status(db_session, area.id, "dismissed", None, reason="papers are wrong")
    fixed.ident_code = good_code
    quiet.ident_code = "also-no-code"
    db_session.flush()
    parcels = [a.id, b.id, mismatched.id, fixed.id, quiet.id, ending.objects[0].parcel_id]
    contracts = [ended.id, ending.id]

    with db_session.begin_nested() as probed_run:
        probed = _recheck_each(db_session, parcels, contracts)
        probed_run.rollback()
    monkeypatch.setattr(probe, "MAX_RECORDS", -1)  # no probe: every scoped rule merged
    every = _recheck_each(db_session, parcels, contracts)

    assert probed == every
    counts = [c for result, _ in [every] for run in result for c in run["rules"].items()]
    assert ("dq_bad_code", {**_zero(), "auto_resolved": 1}) in counts
    assert ("dq_bad_code", {**_zero(), "new": 1}) in counts
    assert ("area_mismatch", {**_zero(), "still_closed": 1}) in counts
    assert ("contract_expired_active", {**_zero(), "still_open": 1}) in counts


def _zero() -> dict[str, int]:
    return dict.fromkeys(("new", "still_open", "reopened", "auto_resolved", "still_closed"), 0)


def test_rules_naming_a_threshold_alike_are_probed_with_their_own_settings(db_session):
    # area_mismatch and rent_below_norm both call their threshold `percent`.
    parcel = _mismatched(db_session, "1.15")
    contract = f.contract(db_session, parcel)
    settings = {"ANOMALY_AREA_MISMATCH_PERCENT": 10, "ANOMALY_RENT_BELOW_NORM_PERCENT": 90}
    rules = [engine.RULES["area_mismatch"], engine.RULES["rent_below_norm"]]
    params = {
        rule.code: bind_parameters(
            rule,
            as_of=AS_OF,
            municipality_id=None,
            parcel_ids=[parcel.id],
            contract_ids=[contract.id],
            settings=settings,
        )
        for rule in rules
    }
    refs = [f"parcel:{parcel.id}"]

    for order in (rules, rules[::-1]):
        assert "area_mismatch" in probe.rules_to_merge(db_session, order, params, refs)
    result = engine.recheck(db_session, parcel_ids=[parcel.id], as_of=AS_OF, settings=settings)
    assert result.rules["area_mismatch"].new == 1


def test_a_recheck_of_many_records_merges_every_rule_they_can_scope(db_session):
    quiet = [f.parcel(db_session).id for _ in range(probe.MAX_RECORDS + 1)]
    merged: list[str] = []

    def spy(conn, cursor, statement, parameters, context, executemany):
        if "INSERT INTO anomaly_flag" in statement:
            merged.append(parameters["rule"])

    sa.event.listen(db_session.connection(), "before_cursor_execute", spy)
    engine.recheck(db_session, parcel_ids=quiet, as_of=AS_OF)

    assert set(merged) == {
        code for code, rule in engine.RULES.items() if "parcel" in rule.scope_kinds
    }


def test_a_recheck_plans_the_heavy_ctes_apart_and_a_full_scan_keeps_one_query():
    for code in (
        "contract_expired_active",
        "misuse",
        "parcel_overlap",
        "double_lease",
        "protected_layer_lease",
    ):
        select = engine.RULES[code].select.text
        assert render(select, True).count("MATERIALIZED") == 1 + render(select, False).count(
            "MATERIALIZED"
        ), code
