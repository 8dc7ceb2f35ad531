"""The set-based write of an import: rows COPYed into a staging table, then one upsert.

A record kind's plain fields (those stored as they are read: text, numbers, dates,
choices) come from its descriptor (inventory.services.records), so a field added there is
staged, inserted, updated and compared here without touching the kind's import. The kind
adds what it resolved itself (ids of references, geometry) as `Column`s.

The upsert inserts new rows, updates rows whose values differ (bumping `version`, which
the history triggers record) and leaves identical rows alone, so re-importing a file
changes nothing and adds no history noise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from inventory.services.imports.base import Context, Row
from inventory.services.imports.staging import stage
from inventory.services.records import KINDS

#: Field types stored as read, and their type in a staging table.
_SQL_TYPES = {
    "text": "text",
    "textarea": "text",
    "decimal": "numeric",
    "integer": "int",
    "date": "date",
    "boolean": "bool",
    "choice": "text",
}


#: `Column.compare` for a geometry: the same shape, point for point.
GEOMETRY_DIFFERS = "ST_AsBinary({t}.{c}) IS DISTINCT FROM ST_AsBinary(EXCLUDED.{c})"


@dataclass(frozen=True)
class Column:
    """One column of the staging table and what the upsert does with it.

    `select` is the expression inserted (over the staging row; the column itself by
    default), `compare` the SQL that is true when a stored row differs (`IS DISTINCT FROM`
    by default, with `{t}` for the stored row). A column with `insert` False is only
    staged (for a later statement); one with `staged` False is only inserted (its
    `select` computes it from other staged columns); `update` False keeps the stored value
    (a natural key). `assign` is the SQL a stored row is updated to (`EXCLUDED.{c}` by
    default; `{t}` the stored row): a parcel keeps its valid polygon when the file's
    is invalid or missing."""

    name: str
    sql_type: str = "text"
    value: Callable[[Row], Any] | None = None
    select: str | None = None
    compare: str | None = None
    insert: bool = True
    staged: bool = True
    update: bool = True
    assign: str | None = None


def _server_default(model: Any, column: str) -> str | None:
    default = model.__table__.c[column].server_default
    if default is None:
        return None
    arg = default.arg
    if isinstance(arg, str):
        return "'" + arg.replace("'", "''") + "'"
    return str(arg.compile(dialect=postgresql.dialect()))


def plain_columns(kind: str, exclude: Sequence[str] = (), keys: Sequence[str] = ()) -> list[Column]:
    """The kind's fields stored as they are read from a file, from its descriptor: each
    staged under its column name from the row's value under its import name; an empty
    cell takes the column's default where it has one (a parcel's status: free). Fields
    named in `keys` are part of the natural key: never updated."""
    described = KINDS[kind]
    columns = []
    for f in described.fields:
        if not f.importable or f.type not in _SQL_TYPES or f.name in exclude:
            continue
        name = f.import_as or f.name
        default = _server_default(described.model, f.attribute)
        columns.append(
            Column(
                f.attribute,
                _SQL_TYPES[f.type],
                value=lambda row, name=name: row[name],
                select=f"coalesce({f.attribute}, {default})" if default else None,
                update=f.name not in keys,
            )
        )
    return columns


def upsert(
    ctx: Context,
    rows: list[Row],
    *,
    table: str,
    conflict: str,
    columns: Sequence[Column],
    versioned: bool = True,
) -> tuple[int, int, int]:
    """Stage `rows` and upsert them into `table` on the `conflict` target (an ON CONFLICT
    target such as "(municipality_id, number)"): (created, updated, unchanged)."""
    staging = f"stage_{table}"
    staged = [c for c in columns if c.staged]
    stage(
        ctx.session,
        staging,
        [(c.name, c.sql_type) for c in staged],
        ([c.value(r) for c in staged] for r in rows),
    )
    inserted = [c for c in columns if c.insert]
    updated = [c for c in inserted if c.update]
    names = ", ".join(c.name for c in inserted)
    selects = ", ".join(c.select or c.name for c in inserted)
    sets = [f"{c.name} = " + (c.assign or "EXCLUDED.{c}").format(t="t", c=c.name) for c in updated]
    if versioned:
        sets += ["version = t.version + 1", "updated_at = now()"]
    differs = " OR ".join(
        (c.compare or "t.{c} IS DISTINCT FROM EXCLUDED.{c}").format(t="t", c=c.name)
        for c in updated
    )
    result = ctx.session.execute(
        sa.text(
            f"INSERT INTO {table} AS t ({names}) SELECT {selects} FROM {staging} "
            f"ON CONFLICT {conflict} DO UPDATE SET {', '.join(sets)} "
            f"WHERE {differs} RETURNING id, (xmax = 0)"
        )
    )
    # The ids of what was created or changed, for the re-check of anomaly flags after
    # the import (unchanged rows are not returned: nothing about them changed).
    returned = result.all()
    ctx.report.written.setdefault(table, []).extend(r[0] for r in returned)
    created = sum(1 for r in returned if r[1])
    return created, len(returned) - created, len(rows) - len(returned)
