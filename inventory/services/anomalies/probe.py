"""Which rules a re-check of a few records has to merge, told in one statement.

A re-check merges each rule its records can scope (engine.scan), one statement per rule:
nine to sixteen for one edited record. Each is planned afresh (the app's connections keep
nothing prepared from one request to the next: psycopg deallocates what it prepared on
every rollback, and a request that wrote nothing ends with one), each fires
anomaly_flag's three statement triggers, each is a round trip; on a busy server that was
most of a re-check. Yet most of them change nothing: a rule that finds no violation about
the records and has no open or confirmed flag about them has nothing to create, update
or close.

`rules_to_merge()` asks every rule at once whether it finds anything about the records,
and anomaly_flag which rules have an open or confirmed flag about them: one read-only
statement, each rule's query inside EXISTS with its parameters renamed after the rule.
The re-check then merges only those rules, with the same merge as before, so what it
writes is what merging every rule would have written. A re-check of many records (an
import's) merges every rule as before: most would find something, and one statement
made of every rule's query over thousands of ids is no cheaper to plan.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.anomalies.rules import RULES, Rule
from inventory.services.anomalies.rules.base import render

#: The most records (parcels and contracts) a re-check may name and still be probed.
MAX_RECORDS = 50

#: A bind parameter of a text() statement, as SQLAlchemy finds them.
_BIND = re.compile(r"(?<![:\w\x5c]):(\w+)(?![:\w])")

#: Rules with a flag a merge could close: what the merge's `gone` part reads, without
#: its municipality filter (probing one rule more is harmless, one less is not).
_FLAGGED = """SELECT DISTINCT a.rule FROM anomaly_flag a
 WHERE string_to_array(a.fingerprint, '|') && CAST(:refs AS text[])
   AND a.status IN ('open', 'confirmed') AND a.rule = ANY(CAST(:rules AS text[]))"""


def _own(code: str, name: str) -> str:
    """The name of a rule's parameter in the probe: two rules may give one name (percent,
    tolerance_m2) different settings."""
    return f"{code}__{name}"


@functools.cache
def _statement(codes: tuple[str, ...]) -> tuple[sa.TextClause, tuple[tuple[str, str], ...]]:
    """The probe of these rules, and the parameters it binds as (rule, name) pairs."""
    parts, binds = [], []
    for code in codes:
        assert re.fullmatch(r"[a-z_]+", code), code  # written into the SQL as a literal
        query = render(RULES[code].select.text, True)
        binds += [(code, name) for name in dict.fromkeys(_BIND.findall(query))]
        own = _BIND.sub(lambda m, code=code: ":" + _own(code, m[1]), query)
        parts.append(f"SELECT '{code}' AS rule WHERE EXISTS (\n{own}\n)")
    return sa.text("\nUNION ALL\n".join([*parts, _FLAGGED])), tuple(binds)


def rules_to_merge(
    session: so.Session,
    rules: Sequence[Rule],
    params: Mapping[str, Mapping[str, Any]],
    refs: Sequence[str],
) -> set[str] | None:
    """The codes of `rules` that find something about the records `refs` names
    ("parcel:12") or have an open or confirmed flag about them, each rule's query run with
    its `params` (as for its merge); None when there are too many records to probe (merge
    every rule)."""
    if len(refs) > MAX_RECORDS:
        return None
    if not rules:
        return set()
    statement, binds = _statement(tuple(rule.code for rule in rules))
    values: dict[str, Any] = {_own(code, name): params[code][name] for code, name in binds}
    values.update(refs=list(refs), rules=[rule.code for rule in rules])
    return set(session.scalars(statement, values))
