"""Each rule re-checked record by record finds what its full scan finds for those records;
a re-check runs only the rules that its records can scope (Rule.scope_kinds); and a
full scan's merge stays linear when anomaly_flag's statistics are behind its rows."""

from __future__ import annotations

import sqlalchemy as sa
from shapely.geometry import box
from sqlalchemy import event

from inventory.services.anomalies import engine
from inventory.services.anomalies.rules import RULES
from tests import factories as f
from tests.anomalies.conftest import AS_OF, days


def _violations(session) -> tuple[list[int], list[int]]:
    """Parcels and contracts breaking several rules of both kinds: two overlapping
    parcels, a contract past its end, one ending soon, two active contracts on one
    parcel, a parcel with neither polygon nor a valid code, and a quiet parcel."""
    west = f.square(metres=30)
    x0, y0, x1, y1 = west.bounds
    a = f.parcel(session, shape=west)
    b = f.parcel(session, shape=box(x1 - (x1 - x0) / 3, y0, x1 + (x1 - x0), y1))
    shared = f.parcel(session, shape=f.square(lon=72.80, metres=20))
    contracts = [
        f.contract(session, a, end_date=AS_OF - days(3)),
        f.contract(
            session, f.parcel(session, shape=f.square(lon=72.81)), end_date=AS_OF + days(20)
        ),
        f.contract(session, shared, start_date=AS_OF - days(100), end_date=AS_OF + days(300)),
        f.contract(session, shared, start_date=AS_OF - days(50), end_date=AS_OF + days(400)),
    ]
    bare = f.parcel(session, shape=False, ident_code="no-such-code")
    quiet = f.parcel(session, shape=f.square(lon=72.82))
    parcels = [a.id, b.id, shared.id, bare.id, quiet.id]
    parcels += [c.objects[0].parcel_id for c in contracts[1:2]]
    return parcels, [c.id for c in contracts]


def _fingerprints(rows, refs: set[str]) -> set[str]:
    return {r.fingerprint for r in rows if set(r.fingerprint.split("|")) & refs}


def test_every_rule_is_scoped_by_the_kind_of_record_it_flags():
    for rule in RULES.values():
        assert rule.scope_kinds == {rule.object_kind.split("_")[0]}, rule.code


def test_each_rule_rechecked_record_by_record_finds_what_its_full_scan_finds(db_session):
    parcels, contracts = _violations(db_session)
    refs = {f"parcel:{i}" for i in parcels} | {f"contract:{i}" for i in contracts}
    found_by = {}
    for rule in RULES.values():
        full = _fingerprints(rule.find(db_session, as_of=AS_OF), refs)
        one_by_one: set[str] = set()
        for kind, ids in (("parcel", parcels), ("contract", contracts)):
            for i in ids:
                scope = {"parcel_ids": [], "contract_ids": [], f"{kind}_ids": [i]}
                rows = rule.find(db_session, as_of=AS_OF, **scope)
                if kind not in rule.scope_kinds:
                    # what lets a re-check skip the rule: nothing to find or close
                    assert rows == [], (rule.code, kind)
                one_by_one |= _fingerprints(rows, refs)
        assert one_by_one == full, rule.code
        found_by[rule.code] = full
    assert {
        "parcel_overlap",
        "contract_expired_active",
        "contract_ending_soon",
        "double_lease",
        "dq_no_geometry",
        "dq_bad_code",
    } <= {code for code, found in found_by.items() if found}


def _merges(session) -> list[str]:
    """The rules whose merge runs on the session's connection from now on."""
    rules: list[str] = []

    def spy(conn, cursor, statement, parameters, context, executemany):
        if "INSERT INTO anomaly_flag" in statement:
            rules.append(parameters["rule"])

    event.listen(session.connection(), "before_cursor_execute", spy)
    return rules


def _probed(session) -> list[list[str]]:
    """The rules each re-check asks at once which to merge (anomalies/probe.py), from
    now on."""
    asked: list[list[str]] = []

    def spy(conn, cursor, statement, parameters, context, executemany):
        if "SELECT DISTINCT a.rule FROM anomaly_flag" in statement:
            asked.append(parameters["rules"])

    event.listen(session.connection(), "before_cursor_execute", spy)
    return asked


def test_a_recheck_runs_only_the_rules_its_records_can_scope(db_session):
    parcels, contracts = _violations(db_session)
    quiet = parcels[4]  # no contract on it
    merged, probed = _merges(db_session), _probed(db_session)

    engine.recheck(db_session, parcel_ids=[quiet], as_of=AS_OF)
    assert set(probed[-1]) == {code for code, rule in RULES.items() if "parcel" in rule.scope_kinds}
    assert merged == []  # none finds anything about it, none has a flag on it to close

    result = engine.recheck(db_session, contract_ids=[contracts[0]], as_of=AS_OF)
    assert set(probed[-1]) == set(RULES)  # the contract and its parcel
    assert set(merged) == {code for code, counts in result.rules.items() if counts.found}
    assert result.rules["contract_expired_active"].new == 1


#: Flags a scan just created, more than the statistics know of.
ROWS = 50_000


def test_a_merge_behind_the_statistics_of_anomaly_flag_stays_linear(db_session):
    """Right after a scan created many flags, before autovacuum analyses anomaly_flag,
    the next scan's merge of that rule is planned for a rule with no flags. The
    statement timeout is no speed target: the merge needs a few seconds; planned as
    nested loops over its CTEs it took minutes."""
    osh = f.municipality(db_session, "osh")
    db_session.execute(sa.text("ANALYZE anomaly_flag"))
    db_session.execute(
        sa.text("""
        INSERT INTO anomaly_flag (municipality_id, rule, severity, fingerprint, message,
                                  evidence, evidence_hash, status)
        SELECT :m, 'contract_ending_soon', 'warning', 'contract:' || -g, 'ends soon',
               '{}', md5('{}'::jsonb::text), 'open'
          FROM generate_series(1, :rows) g"""),
        {"m": osh.id, "rows": ROWS},
    )
    db_session.execute(
        sa.text("""
        CREATE TEMPORARY TABLE found_again ON COMMIT DROP AS
        SELECT 'contract:' || -g AS fingerprint, CAST(:m AS int) AS municipality_id,
               NULL::int AS parcel_id, NULL::int AS contract_id, NULL::int AS building_id,
               '{}'::jsonb AS evidence, 'ends soon' AS message,
               md5('{}'::jsonb::text) AS evidence_hash
          FROM generate_series(1, :rows) g"""),
        {"m": osh.id, "rows": ROWS},
    )
    db_session.execute(sa.text("ANALYZE found_again"))
    db_session.execute(sa.text("SET LOCAL statement_timeout = '60s'"))
    rule = RULES["contract_ending_soon"]
    params = {
        "as_of": AS_OF,
        "municipality_id": None,
        "rule": rule.code,
        "severity": rule.severity.value,
        "refs": [],
        "auto_resolved": engine.AUTO_RESOLVED,
    }

    counts = engine._merge(db_session, rule, params, "found_again")

    assert (counts.still_open, counts.new, counts.auto_resolved) == (ROWS, 0, 0)
