"""The anomaly scan: run rules and merge what they find into anomaly_flag, set-based.

For each rule one statement compares the rule's findings with the stored flags:
- a new violation becomes an open flag;
- a violation seen again updates its flag (evidence, message, last_seen_at); a flag an
  officer resolved or dismissed is reopened when its evidence changed, and a flag the
  engine itself resolved is reopened whenever the violation is back;
- an open or confirmed flag whose violation is no longer found, within the scanned
  municipality and records, is resolved with "fixed: no longer detected on <date>".
Running the same scan again changes nothing but last_seen_at.

How it stays fast (bench/anomaly_scan.py measures it): a full scan first writes each
rule's findings to a table with CREATE TABLE AS, which PostgreSQL may run with parallel
workers (a statement that also writes, like the merge, never gets them), then merges
from it. Most rules still run on one core, so a full scan hands them to lanes
(lanes.py): ANOMALY_SCAN_WORKERS connections that share the session's snapshot and
collect rules at once while the session merges what they found. Overlapping parcels are
kept between scans and recomputed only where parcels moved (overlaps.py). A re-check of
a few records first asks all rules at once which of them find anything or have a flag
to close about the records (probe.py), then runs those rules' scoped texts (see
rules/base.py) inside the merge, and finds the flags to close through the index on the
records a fingerprint names. During
a full scan JIT compilation is off (the rules' cost estimates are large enough to
trigger it, and compiling took longer than running) and work_mem is raised for the
scan's own transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.config import with_defaults
from inventory.models import AnomalyFlag, Building, Inspection, LeaseContract, Parcel, Payment
from inventory.services.anomalies import lanes, probe, runs
from inventory.services.anomalies.rules import RULES, Rule
from inventory.services.anomalies.rules.base import bind_parameters
from inventory.services.anomalies.scope import municipality_id_of
from inventory.services.errors import ValidationError

#: The reason the engine writes when a violation is gone; also how it recognises flags
#: it resolved itself (those reopen as soon as the violation is found again).
AUTO_RESOLVED = "fixed: no longer detected on "

_OUTCOMES = ("new", "still_open", "reopened", "auto_resolved", "still_closed")

#: Where a full scan puts one rule's findings before merging them.
_FOUND_TABLE = "anomaly_scan_found"

#: Memory for each sort or hash of a full scan (the server default is sized for many
#: concurrent requests): the rules sort and hash a row per contract or parcel, and
#: spilling those to disk cost a fifth of the rent-norm rule at 1,000,000 contracts.
_SCAN_WORK_MEM = "256MB"

# Every join of a full scan's merge stays linear whatever the planner believes: right
# after a bulk load, or a scan that created 100,000 flags, anomaly_flag's statistics
# still say a rule has few flags or none, and nested loops over CTEs or whole-table
# scans (estimated at one row, holding 100,000) once spent minutes on one rule. So the
# findings come from a table with real statistics (`{hashed}`), new flags are told by
# the unique index of anomaly_flag, flags no longer found by a hashed NOT IN, and the
# statement runs with nested loops off (_merge): hash joins cost the same whatever the
# statistics say.
_MERGE = """
WITH {source}matched AS MATERIALIZED (
    SELECT h.*, a.id AS flag_id, a.status AS old_status, a.reason AS old_reason,
           a.status IN ('resolved', 'dismissed')
           AND (a.evidence_hash <> h.evidence_hash
                OR (a.status = 'resolved' AND a.status_changed_by_id IS NULL
                    AND a.reason LIKE :auto_resolved || '%')) AS reopen,
           a.evidence_hash <> h.evidence_hash AS evidence_changed
      FROM {hashed} h
      JOIN anomaly_flag a ON a.rule = :rule AND a.fingerprint = h.fingerprint
), seen AS (
    UPDATE anomaly_flag a
       SET last_seen_at = now(), evidence = m.evidence, evidence_hash = m.evidence_hash,
           message = m.message, severity = :severity, municipality_id = m.municipality_id,
           parcel_id = m.parcel_id, contract_id = m.contract_id, building_id = m.building_id,
           status = CASE WHEN m.reopen THEN 'open' ELSE a.status END,
           reason = CASE
               WHEN NOT m.reopen THEN a.reason
               WHEN m.evidence_changed THEN format(
                   'reopened: evidence changed on %s (was %s: %s)', CAST(:as_of AS date),
                   m.old_status, coalesce(m.old_reason, 'no reason given'))
               ELSE format('reopened: detected again on %s', CAST(:as_of AS date)) END,
           status_changed_at = CASE WHEN m.reopen THEN now() ELSE a.status_changed_at END,
           status_changed_by_id = CASE WHEN m.reopen THEN NULL
                                       ELSE a.status_changed_by_id END
      FROM matched m
     WHERE a.id = m.flag_id AND a.rule = :rule
    RETURNING CASE WHEN m.reopen THEN 'reopened'
                   WHEN m.old_status IN ('open', 'confirmed') THEN 'still_open'
                   ELSE 'still_closed' END AS outcome
), created AS (
    INSERT INTO anomaly_flag (municipality_id, rule, severity, fingerprint, parcel_id,
                              contract_id, building_id, message, evidence, evidence_hash,
                              status)
    SELECT h.municipality_id, :rule, :severity, h.fingerprint, h.parcel_id, h.contract_id,
           h.building_id, h.message, h.evidence, h.evidence_hash, 'open'
      FROM {hashed} h
     WHERE NOT EXISTS (SELECT 1 FROM anomaly_flag a
                        WHERE a.rule = :rule AND a.fingerprint = h.fingerprint)
    ON CONFLICT ON CONSTRAINT uq_anomaly_flag_fingerprint DO NOTHING
    RETURNING 'new' AS outcome
), gone AS (
    UPDATE anomaly_flag a
       SET status = 'resolved', reason = :auto_resolved || CAST(:as_of AS date),
           status_changed_at = now(), status_changed_by_id = NULL
     WHERE a.rule = :rule AND a.status IN ('open', 'confirmed')
       AND (CAST(:municipality_id AS int) IS NULL
            OR a.municipality_id = CAST(:municipality_id AS int))
       AND {only_refs}
       AND a.fingerprint NOT IN (SELECT h.fingerprint FROM {hashed} h)
    RETURNING 'auto_resolved' AS outcome
)
SELECT outcome, count(*) AS n
  FROM (SELECT outcome FROM seen UNION ALL SELECT outcome FROM created
        UNION ALL SELECT outcome FROM gone) o
 GROUP BY outcome
"""


#: In a re-check, only flags about the records re-checked may close; ix_anomaly_flag_refs
#: indexes exactly this expression.
_ONLY_REFS = "string_to_array(a.fingerprint, '|') && CAST(:refs AS text[])"


@functools.cache
def _merge_statement(code: str, table: str | None) -> sa.TextClause:
    """The merge of one rule: its query inline for a re-check (`table` None), the table
    of its findings (`Rule.hashed_sql`) for a full scan."""
    if table is None:
        source = f"hashed AS MATERIALIZED ({RULES[code].hashed_sql(True)}),\n"
        return sa.text(_MERGE.format(source=source, hashed="hashed", only_refs=_ONLY_REFS))
    return sa.text(_MERGE.format(source="", hashed=table, only_refs="true"))


@functools.cache
def _collect_statement(code: str) -> sa.TextClause:
    """CREATE TABLE AS of one rule's findings in a full scan (parallel query allowed)."""
    return sa.text(
        f"CREATE TEMPORARY TABLE {_FOUND_TABLE} ON COMMIT DROP AS {RULES[code].hashed_sql(False)}"
    )


@dataclass
class RuleCounts:
    """What one rule's merge did: flags created, seen again while open or confirmed,
    reopened, resolved because the violation is gone, and seen again but left resolved
    or dismissed (same evidence)."""

    new: int = 0
    still_open: int = 0
    reopened: int = 0
    auto_resolved: int = 0
    still_closed: int = 0

    @property
    def found(self) -> int:
        """Violations the rule found in this scan."""
        return self.new + self.still_open + self.reopened + self.still_closed


@dataclass
class ScanResult:
    """The outcome of one scan: its date and scope, and the counts of every rule run."""

    as_of: dt.date
    municipality_id: int | None
    rules: dict[str, RuleCounts] = field(default_factory=dict)

    @property
    def total(self) -> RuleCounts:
        total = RuleCounts()
        for counts in self.rules.values():
            for name in _OUTCOMES:
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "municipality_id": self.municipality_id,
            "rules": {
                code: {name: getattr(c, name) for name in _OUTCOMES}
                for code, c in self.rules.items()
            },
        }


def select_rules(codes: Iterable[str] | None) -> list[Rule]:
    """The rules named by `codes` (all when None); ValidationError for an unknown code."""
    if codes is None:
        return list(RULES.values())
    codes = list(codes)
    unknown = sorted(set(codes) - set(RULES))
    if unknown:
        raise ValidationError(
            "unknown rule %(unknown)s; rules are %(rules)s",
            field="rules",
            unknown=", ".join(unknown),
            rules=", ".join(RULES),
        )
    return [RULES[code] for code in RULES if code in codes]


def scan(
    session: so.Session,
    *,
    as_of: dt.date | None = None,
    municipality: str | int | None = None,
    rules: Iterable[str] | None = None,
    parcel_ids: Sequence[int] | None = None,
    contract_ids: Sequence[int] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> ScanResult:
    """Run the rules (all, or those named) and merge their findings into anomaly_flag.

    `as_of` is the day the scan judges (today by default). With `municipality` (slug or
    id) only that municipality is scanned and only its flags can be auto-resolved; with
    `parcel_ids` and/or `contract_ids` only violations involving those records are looked
    for, and only their flags can be auto-resolved, so one record can be re-checked
    after an edit. `settings` are the app's settings: the anomaly thresholds and
    ANOMALY_SCAN_WORKERS are read from them (None, or a setting left out: the documented
    default, `config.with_defaults`). A full scan is kept in anomaly_scan_run, what
    the audit pages date the flags by. The caller commits.
    """
    settings = with_defaults(settings)
    as_of = as_of or dt.date.today()
    municipality_id = municipality_id_of(session, municipality)
    is_scoped = parcel_ids is not None or contract_ids is not None
    refs = [f"parcel:{i}" for i in parcel_ids or ()] + [f"contract:{i}" for i in contract_ids or ()]
    session.flush()
    result = ScanResult(as_of=as_of, municipality_id=municipality_id)
    chosen = select_rules(rules)
    params = {}
    for rule in chosen:
        params[rule.code] = bind_parameters(
            rule,
            as_of=as_of,
            municipality_id=municipality_id,
            parcel_ids=parcel_ids,
            contract_ids=contract_ids,
            settings=settings,
        )
        params[rule.code].update(
            rule=rule.code,
            severity=rule.severity.value,
            refs=refs,
            auto_resolved=AUTO_RESOLVED,
        )
    if is_scoped:
        given = {"parcel": bool(parcel_ids), "contract": bool(contract_ids)}
        # Rules no given id can scope (Rule.scope_kinds) have nothing to find or close,
        # nor have the rules the probe finds nothing for: a statement less each.
        scoped = [rule for rule in chosen if any(given[kind] for kind in rule.scope_kinds)]
        needed = probe.rules_to_merge(session, scoped, params, refs)
        merged = {rule.code for rule in scoped} if needed is None else needed
        for rule in chosen:
            if rule.code in merged:
                result.rules[rule.code] = _merge(session, rule, params[rule.code], None)
            else:
                result.rules[rule.code] = RuleCounts()
    else:
        started = session.scalar(sa.text("SELECT clock_timestamp()"))
        _full_scan(session, chosen, params, result, settings)
        runs.record(
            session,
            started=started,
            as_of=as_of,
            municipality_id=municipality_id,
            rules=None if rules is None else [rule.code for rule in chosen],
            counts=result.as_dict()["rules"],
        )
    # Flags loaded before the scan are stale now; reload them when next read.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, AnomalyFlag):
            session.expire(obj)
    return result


def _merge(
    session: so.Session, rule: Rule, params: dict[str, Any], table: str | None
) -> RuleCounts:
    """Merge one rule's findings (from `table`, or its scoped query when None)."""
    counts = RuleCounts()
    if table is not None:  # a full scan's: see _MERGE
        lanes.set_local(session, {"enable_nestloop": "off"})
    for outcome, n in session.execute(_merge_statement(rule.code, table), params):
        setattr(counts, outcome, n)
    if table is not None:
        lanes.set_local(session, {"enable_nestloop": "on"})
    return counts


def _full_scan(
    session: so.Session,
    chosen: list[Rule],
    params: dict[str, dict[str, Any]],
    result: ScanResult,
    settings: Mapping[str, Any],
) -> None:
    """Collect and merge every chosen rule over all records, on lanes when possible."""
    workers = int(settings["ANOMALY_SCAN_WORKERS"])
    # The scan's own transaction, and each lane's, gets these (restored at the end).
    statement_settings = {"jit": "off", "work_mem": _SCAN_WORK_MEM}
    saved = session.execute(
        sa.text("SELECT current_setting('jit'), current_setting('work_mem')")
    ).one()
    lanes.set_local(session, statement_settings)
    snapshot = lanes.exportable_snapshot(session) if workers > 1 else None
    counts: dict[str, RuleCounts] = {}
    if snapshot is None:
        for rule in chosen:
            counts[rule.code] = _collect_and_merge(session, rule, params[rule.code])
    else:
        pid = session.scalar(sa.text("SELECT pg_backend_pid()"))
        # Rules that keep results between scans refresh them here, in the session's
        # transaction; the others go to the lanes, the longest first.
        own = [rule for rule in chosen if rule.prepare is not None]
        handed = sorted(
            (rule for rule in chosen if rule.prepare is None), key=lambda rule: -rule.weight
        )
        bind = session.get_bind()
        with lanes.Lanes(
            getattr(bind, "engine", bind), snapshot, pid, workers, statement_settings
        ) as pool:
            futures = {pool.submit(rule, params[rule.code]): rule for rule in handed}
            for rule in own:
                counts[rule.code] = _collect_and_merge(session, rule, params[rule.code])
            for future in as_completed(futures):
                rule = futures[future]
                table, _ = future.result()
                counts[rule.code] = _merge(session, rule, params[rule.code], table)
                session.execute(sa.text(f"DROP TABLE {table}"))
    for rule in chosen:  # in the rules' own order, whichever finished first
        result.rules[rule.code] = counts[rule.code]
    lanes.set_local(session, {"jit": saved[0], "work_mem": saved[1]})


def _collect_and_merge(session: so.Session, rule: Rule, params: dict[str, Any]) -> RuleCounts:
    """A full scan of one rule in the session itself: its findings into a temporary
    table (which PostgreSQL may fill with parallel workers), then the merge."""
    if rule.prepare is not None:
        rule.prepare(session)
    found = session.execute(_collect_statement(rule.code), params).rowcount
    if found > 1000:  # plan the merge with the real row count
        session.execute(sa.text(f"ANALYZE {_FOUND_TABLE}"))
    counts = _merge(session, rule, params, _FOUND_TABLE)
    session.execute(sa.text(f"DROP TABLE {_FOUND_TABLE}"))
    return counts


_RELATED = sa.text("""
SELECT array(SELECT DISTINCT x FROM unnest(CAST(:parcel_ids AS int[]) || array(
           SELECT co.parcel_id FROM contract_object co
            WHERE co.contract_id = ANY(CAST(:contract_ids AS int[]))
              AND co.parcel_id IS NOT NULL)) AS x) AS parcels,
       array(SELECT DISTINCT x FROM unnest(CAST(:contract_ids AS int[]) || array(
           SELECT co.contract_id FROM contract_object co
            WHERE co.parcel_id = ANY(CAST(:parcel_ids AS int[])))) AS x) AS contracts
""")


def recheck(
    session: so.Session,
    *,
    parcel_ids: Sequence[int] = (),
    contract_ids: Sequence[int] = (),
    as_of: dt.date | None = None,
    settings: Mapping[str, Any] | None = None,
) -> ScanResult | None:
    """Re-run every rule for just these records, right after an edit, so their flags
    are current at once (new, updated, or resolved when the edit fixed them).

    The records' neighbours count too: the contracts on an edited parcel (its area or use
    changes the rent norm) and the parcels of an edited contract. `settings` as for
    `scan()`. Returns None when no id was given. The caller commits.
    """
    parcel_ids = [int(i) for i in parcel_ids if i is not None]
    contract_ids = [int(i) for i in contract_ids if i is not None]
    if not parcel_ids and not contract_ids:
        return None
    session.flush()
    parcels, contracts = session.execute(
        _RELATED, {"parcel_ids": parcel_ids, "contract_ids": contract_ids}
    ).one()
    return scan(session, as_of=as_of, parcel_ids=parcels, contract_ids=contracts, settings=settings)


def recheck_record(
    session: so.Session, record: Any, settings: Mapping[str, Any] | None = None
) -> ScanResult | None:
    """`recheck()` the parcel or contract a just-written record is, or belongs to (a
    payment's contract, an inspection's or a building's parcel), with the app's
    `settings` (as for `scan()`: pass them, or a save judges by other thresholds than the
    nightly scan). Other records (lessees) change no rule's outcome and are left alone."""
    if isinstance(record, Parcel):
        return recheck(session, parcel_ids=[record.id], settings=settings)
    if isinstance(record, LeaseContract):
        return recheck(session, contract_ids=[record.id], settings=settings)
    if isinstance(record, Payment):
        return recheck(session, contract_ids=[record.contract_id], settings=settings)
    if isinstance(record, Inspection | Building):
        parcel_ids = [record.parcel_id] if record.parcel_id else []
        return recheck(session, parcel_ids=parcel_ids, settings=settings)
    return None
