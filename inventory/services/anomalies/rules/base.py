"""What every rule is: a code, a name, a severity, what it finds, one set-based query over
PostGIS and one message template.

A rule's query (`Rule.select`) returns one row per violation with the columns
`fingerprint, municipality_id, parcel_id, contract_id, building_id, evidence`.
The fingerprint names the objects of the violation as sorted `kind:id` parts joined by
`|` (`parcel:12`, `contract:3|contract:9`), so a re-scan finds the same flag again and a
re-check of one record can tell which flags concern it. The query writes no sentence:
`Rule.query` wraps it with a `message` column, the rule's message template (sentences.py)
compiled to one SQL expression over `evidence`, so the stored English sentence and the
translated ones the pages show are the same template.

Every query takes the same bind parameters: `:as_of` (date), `:municipality_id` (int or
NULL), `:parcel_ids` and `:contract_ids` (int arrays, used only by a scoped scan), plus
the rule's thresholds, named in `Rule.settings` and read from the settings the caller
passes (documented defaults in inventory.config.DEFAULTS), never written into the SQL.

A query is written once, with markers where the record filter of a re-check goes
(`scoped()`, `pair_of()`). `Rule.sql(scoped)` renders it two ways: for a full scan the
markers become `true` (the planner sees no filter at all), for a re-check they become
`= ANY(:ids)` tests on the columns named, so every CTE reads only the rows of those ids
through their indexes instead of filtering after a join or an aggregate over the whole
table. Two texts rather than one with `NOT :scoped OR ...`: one generic text would be
planned for the whole table whichever way it is called.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.config import with_defaults
from inventory.models import Severity
from inventory.services.anomalies.rules.sentences import Either, Sentence

#: The columns of a rule's findings: what its query returns, then the message.
COLUMNS = (
    "fingerprint",
    "municipality_id",
    "parcel_id",
    "contract_id",
    "building_id",
    "evidence",
    "message",
)

AS_OF = "CAST(:as_of AS date)"


def in_municipality(column: str) -> str:
    """SQL: the row belongs to the municipality scanned (or no municipality was given)."""
    return f"(CAST(:municipality_id AS int) IS NULL OR {column} = CAST(:municipality_id AS int))"


def scoped(kind: str, *columns: str) -> str:
    """SQL marker: in a re-check, one of `columns` is a requested id of `kind`
    ("parcel" or "contract"); in a full scan, true."""
    return f"[[scoped {kind} {' '.join(columns)}]]"


def pair_of(kind: str, left: str, right: str) -> str:
    """SQL marker for a self-join that finds pairs of records of `kind` (`left` and
    `right` being their id columns): in a full scan each pair once (`right > left`); in
    a re-check `left` is a requested id and `right` any other record, each pair once even
    when both are requested. Order the pair with least()/greatest() afterwards."""
    return f"[[pair {kind} {left} {right}]]"


_MARKER = re.compile(r"\[\[(scoped|pair) (parcel|contract) ([^\]]+)\]\]")

#: Written after a CTE's AS (`materialized_in_recheck()`).
_MATERIALIZED = "[[materialized]]"


def materialized_in_recheck() -> str:
    """SQL marker after a CTE's `AS`: MATERIALIZED in a re-check, nothing in a full scan.

    A re-check plans its statement at every edit, and that planning is most of its time
    (bench/README.md). A CTE read once is otherwise planned inside the query around it:
    one search of join orders over all their tables (a CTE of spatial joins, or one
    joined again to the tables it read, took 2-4 ms). Planned on its own, a CTE of a few
    rows costs a fraction of that, and runs as fast. A full scan keeps the plan
    PostgreSQL finds for the whole query."""
    return _MATERIALIZED


def _ids(kind: str) -> str:
    return f"CAST(:{kind}_ids AS int[])"


def _render_marker(match: re.Match[str], is_scoped: bool) -> str:
    what, kind, columns = match[1], match[2], match[3].split()
    if what == "scoped":
        if not is_scoped:
            return "true"
        return "(" + " OR ".join(f"{c} = ANY({_ids(kind)})" for c in columns) + ")"
    left, right = columns
    if not is_scoped:
        return f"{right} > {left}"
    return (
        f"({left} = ANY({_ids(kind)}) AND {right} <> {left} "
        f"AND NOT ({right} = ANY({_ids(kind)}) AND {right} < {left}))"
    )


@functools.cache
def render(sql: str, is_scoped: bool) -> str:
    """`sql` with its scope markers rendered for a full scan or a re-check."""
    sql = sql.replace(_MATERIALIZED, "MATERIALIZED" if is_scoped else "")
    return _MARKER.sub(lambda m: _render_marker(m, is_scoped), sql)


def with_message(select: str, message: Sentence | Either) -> str:
    """SQL: the rows of `select` with their `message` column, `message` rendered over each
    row's evidence. OFFSET 0 keeps the query a subquery of its own: pulled up, every
    placeholder would rebuild the evidence object instead of reading the one built."""
    columns = ", ".join(f"found.{name}" for name in COLUMNS if name != "message")
    return (
        f"SELECT {columns},\n       {message.sql('found.evidence')} AS message\n"
        f"  FROM ({select}\n OFFSET 0) found"
    )


def with_evidence_hash(select: str, volatile: Sequence[str]) -> str:
    """SQL: the rows of `select`, one per fingerprint, with `evidence_hash`, the hash of
    their evidence without the `volatile` keys (what the merge compares to tell changed
    evidence). A full scan writes this to its table of findings, so the hash is computed
    where the rule ran (on a lane) and the merge reads a table with real statistics."""
    keys = ", ".join("'" + key.replace("'", "''") + "'" for key in volatile)
    return (
        f"SELECT DISTINCT ON (f.fingerprint) f.*,\n"
        f"       md5((f.evidence - ARRAY[{keys}]::text[])::text) AS evidence_hash\n"
        f"  FROM ({select}\n) f ORDER BY f.fingerprint"
    )


@dataclass(frozen=True)
class Rule:
    """One anomaly rule: its code, `label` (a message id: its name in lists), severity,
    what it `finds` (for the README's table: `{SETTING}` placeholders are filled with the
    settings' values), its `message` (one template over its evidence) and its query.

    `settings` maps the query's threshold parameters to setting names; `volatile` lists
    evidence keys that do not count as changed evidence: those that change with the scan
    date alone (days left, the date itself) and context read by the sentence only (a
    municipality's name).

    A rule whose full scan reads results kept between scans (parcel_overlap) gives
    `full_select` for the full scan and `prepare`, which brings those results up to date
    in the session's transaction before the full query runs; `select` then serves the
    re-check of a few records.

    `weight` is what the full scan costs compared with other rules (seconds alone at
    1,000,000 parcels, bench/anomaly_scan.py): a scan starts the heaviest rules first,
    so that its connections finish at about the same time."""

    code: str
    label: str
    severity: Severity
    object_kind: str  # "parcel", "contract", "parcel_pair" or "contract_pair"
    finds: str
    message: Sentence | Either
    select: sa.TextClause
    settings: Mapping[str, str] = field(default_factory=dict)
    volatile: tuple[str, ...] = ()
    full_select: sa.TextClause | None = None
    prepare: Callable[[so.Session], object] | None = None
    weight: float = 1.0

    @functools.cached_property
    def query(self) -> sa.TextClause:
        """The query with its `message` column (see `with_message`)."""
        return sa.text(with_message(self.select.text, self.message))

    @functools.cached_property
    def full_query(self) -> sa.TextClause | None:
        """The full scan's own query with its `message` column, if the rule has one."""
        if self.full_select is None:
            return None
        return sa.text(with_message(self.full_select.text, self.message))

    def parameters(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The threshold bind parameters, as numbers, from `settings`."""
        return {name: Decimal(str(settings[key])) for name, key in self.settings.items()}

    def what_it_finds(self, settings: Mapping[str, Any]) -> str:
        """`finds` with the thresholds of `settings` in it."""
        return self.finds.format_map(settings)

    def find(
        self,
        session: so.Session,
        *,
        as_of: dt.date | None = None,
        municipality_id: int | None = None,
        parcel_ids: Sequence[int] | None = None,
        contract_ids: Sequence[int] | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> list[sa.Row]:
        """The violations this rule finds now, without touching anomaly_flag."""
        params = bind_parameters(
            self,
            as_of=as_of,
            municipality_id=municipality_id,
            parcel_ids=parcel_ids,
            contract_ids=contract_ids,
            settings=settings,
        )
        is_scoped = parcel_ids is not None or contract_ids is not None
        if not is_scoped and self.prepare is not None:
            self.prepare(session)
        return list(session.execute(sa.text(self.sql(is_scoped)), params))

    def sql(self, is_scoped: bool) -> str:
        """The query's SQL for a full scan (`is_scoped` False) or a re-check of ids."""
        if not is_scoped and self.full_query is not None:
            return render(self.full_query.text, False)
        return render(self.query.text, is_scoped)

    def hashed_sql(self, is_scoped: bool) -> str:
        """`sql()` as the merge reads it: one row per fingerprint, with `evidence_hash`."""
        return with_evidence_hash(self.sql(is_scoped), self.volatile)

    @functools.cached_property
    def scope_kinds(self) -> frozenset[str]:
        """The kinds of record ("parcel", "contract") whose ids scope a re-check of this
        rule: every row it finds passes a marker of one of them, so a re-check given no
        id of these kinds finds nothing and closes nothing (its fingerprints name only
        records of these kinds)."""
        return frozenset(match[2] for match in _MARKER.finditer(self.select.text))


def bind_parameters(
    rule: Rule,
    *,
    as_of: dt.date | None,
    municipality_id: int | None,
    parcel_ids: Sequence[int] | None,
    contract_ids: Sequence[int] | None,
    settings: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Every bind parameter the rule's query needs; thresholds from `settings` (None, or a
    setting left out: its documented default, `config.with_defaults`)."""
    return {
        "as_of": as_of or dt.date.today(),
        "municipality_id": municipality_id,
        "parcel_ids": list(parcel_ids or []),
        "contract_ids": list(contract_ids or []),
        **rule.parameters(with_defaults(settings)),
    }


def latest_inspection_cte(name: str = "latest") -> str:
    """SQL CTE `name`: each parcel's latest inspection up to :as_of (in the scanned
    municipality and record scope), with what it saw."""
    return f"""{name} AS (
        SELECT DISTINCT ON (i.parcel_id)
               i.id, i.parcel_id, i.inspected_on, i.inspector, i.occupied,
               i.observed_use_id, i.note
          FROM inspection i
          JOIN parcel p ON p.id = i.parcel_id AND p.archived_at IS NULL
         WHERE i.inspected_on <= {AS_OF} AND i.archived_at IS NULL
           AND {in_municipality("p.municipality_id")} AND {scoped("parcel", "p.id")}
         ORDER BY i.parcel_id, i.inspected_on DESC, i.id DESC)"""


def inspection_json(alias: str, use_alias: str) -> str:
    """SQL: an inspection row as evidence (id, date, inspector, observed use, occupied)."""
    return (
        f"jsonb_build_object('id', {alias}.id, 'date', {alias}.inspected_on, "
        f"'inspector', {alias}.inspector, 'observed_use', {use_alias}.code, "
        f"'occupied', {alias}.occupied)"
    )
