"""What every rule is: a code, a severity and one set-based query over PostGIS.

A rule's query returns one row per violation with the columns
`fingerprint, municipality_id, parcel_id, contract_id, building_id, evidence, message`.
The fingerprint names the objects of the violation as sorted `kind:id` parts joined by
`|` (`parcel:12`, `contract:3|contract:9`), so a re-scan finds the same flag again and a
re-check of one record can tell which flags concern it.

Every query takes the same bind parameters: `:as_of` (date), `:municipality_id` (int or
NULL), `:scoped` (boolean), `:parcel_ids` and `:contract_ids` (int arrays, used only
when `:scoped`), plus the rule's thresholds, named in `Rule.settings` and read from the
settings (defaults in inventory.config.DEFAULTS), never written into the SQL.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Severity

COLUMNS = ("fingerprint", "municipality_id", "parcel_id", "contract_id", "building_id",
           "evidence", "message")

AS_OF = "CAST(:as_of AS date)"


def in_municipality(column: str) -> str:
    """SQL: the row belongs to the municipality scanned (or no municipality was given)."""
    return (f"(CAST(:municipality_id AS int) IS NULL "
            f"OR {column} = CAST(:municipality_id AS int))")


def scoped(kind: str, *columns: str) -> str:
    """SQL: no record filter was given, or one of `columns` is a requested id of `kind`
    ("parcel" or "contract")."""
    ids = f"CAST(:{kind}_ids AS int[])"
    tests = " OR ".join(f"{c} = ANY({ids})" for c in columns)
    return f"(NOT CAST(:scoped AS boolean) OR {tests})"


@dataclass(frozen=True)
class Rule:
    """One anomaly rule. `settings` maps the query's threshold parameters to setting
    names; `volatile` lists evidence keys that change with the scan date alone (days
    left, the date itself) and so must not count as changed evidence."""

    code: str
    severity: Severity
    object_kind: str  # "parcel", "contract", "parcel_pair" or "contract_pair"
    description: str
    query: sa.TextClause
    settings: Mapping[str, str] = field(default_factory=dict)
    volatile: tuple[str, ...] = ()

    def parameters(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The threshold bind parameters, as numbers, from `settings`."""
        return {name: Decimal(str(settings[key])) for name, key in self.settings.items()}

    def find(self, session: so.Session, *, as_of: dt.date | None = None,
             municipality_id: int | None = None, parcel_ids: Sequence[int] | None = None,
             contract_ids: Sequence[int] | None = None,
             settings: Mapping[str, Any] | None = None) -> list[sa.Row]:
        """The violations this rule finds now, without touching anomaly_flag."""
        params = bind_parameters(self, as_of=as_of, municipality_id=municipality_id,
                                 parcel_ids=parcel_ids, contract_ids=contract_ids,
                                 settings=settings)
        return list(session.execute(self.query, params))


def bind_parameters(rule: Rule, *, as_of: dt.date | None,
                    municipality_id: int | None, parcel_ids: Sequence[int] | None,
                    contract_ids: Sequence[int] | None,
                    settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every bind parameter the rule's query needs."""
    from inventory.config import DEFAULTS

    merged = dict(DEFAULTS)
    merged.update(settings or {})
    is_scoped = parcel_ids is not None or contract_ids is not None
    return {"as_of": as_of or dt.date.today(), "municipality_id": municipality_id,
            "scoped": is_scoped, "parcel_ids": list(parcel_ids or []),
            "contract_ids": list(contract_ids or []), **rule.parameters(merged)}


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
           AND {in_municipality('p.municipality_id')} AND {scoped('parcel', 'p.id')}
         ORDER BY i.parcel_id, i.inspected_on DESC, i.id DESC)"""


def inspection_json(alias: str, use_alias: str) -> str:
    """SQL: an inspection row as evidence (id, date, inspector, observed use, occupied)."""
    return (f"jsonb_build_object('id', {alias}.id, 'date', {alias}.inspected_on, "
            f"'inspector', {alias}.inspector, 'observed_use', {use_alias}.code, "
            f"'occupied', {alias}.occupied)")
