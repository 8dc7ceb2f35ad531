"""Lists for the office pages: the API's lists plus sorting and a few more filters.

Uses each kind's own query, scoping and search (inventory.services.records.common), so a
page can never show what the API would hide. Sorting is by a whitelisted column name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.permissions import Actor
from inventory.services.records import KINDS
from inventory.services.records.common import Kind
from inventory.services.records.descriptor import Field
from inventory.services.records.paging import Filters, Page


def sort_columns(kind: Kind) -> dict[str, Any]:
    """The columns a list of `kind` can be sorted by, by URL name; `id` first (default)."""
    return {"id": kind.model.id, **{f.name: f.sort for f in kind.fields if f.sort is not None}}


def filter_fields(kind: Kind) -> dict[str, Field]:
    """The extra equality filters of a list of `kind`, by query-string name."""
    return {f.filter: f for f in kind.fields if f.filter}


def filter_value(f: Field, raw: str) -> Any:
    """The value of a filter on `f` from its query-string text; None when it is no value
    the field can have (the filter is then left out)."""
    raw = raw.strip()
    if f.type == "boolean":
        return {"true": True, "false": False}.get(raw)
    if f.type == "choice":
        return raw if raw in {m.value for m in f.enum} else None
    return int(raw) if raw.isdecimal() and len(raw) < 10 else None


#: Sortable columns of each kind by the name used in URLs; the first is the default.
SORTS: dict[str, dict[str, Any]] = {name: sort_columns(kind) for name, kind in KINDS.items()}
#: Extra filters of each kind: a query-string name and the column it must equal.
EXTRA: dict[str, dict[str, Any]] = {
    name: {key: getattr(kind.model, f.attribute) for key, f in filter_fields(kind).items()}
    for name, kind in KINDS.items()
}


#: What a list shows of archived records (`?archived=`): none (the default), all of
#: them beside the others ("with", or "1" as the API says), or only them ("only").
ARCHIVED = ("", "with", "only")


def archived_choice(raw: str | None) -> str:
    """The list's archived choice from its query-string text (unknown text: none)."""
    raw = (raw or "").strip().lower()
    if raw in ("1", "true", "yes"):
        return "with"
    return raw if raw in ARCHIVED else ""


def _query(
    session: so.Session,
    actor: Actor,
    name: str,
    kind: Kind,
    filters: Filters,
    sort: str | None,
    descending: bool,
    archived: str,
) -> tuple[sa.Select, sa.Select]:
    """The filtered query (for counting) and the same query ordered."""
    filters.include_archived = archived in ("with", "only")
    query = kind.filtered(session, actor, filters)
    if archived == "only":
        query = query.where(kind.model.archived_at.is_not(None))
    for key, value in filters.extra.items():
        column = EXTRA.get(name, {}).get(key)
        if column is not None and value is not None:
            query = query.where(column == value)
    columns = SORTS[name]
    column = columns.get(sort or "", columns["id"])
    order = column.desc().nulls_last() if descending else column.asc().nulls_last()
    return query, query.order_by(order, kind.model.id.desc())


def browse(
    session: so.Session,
    actor: Actor,
    name: str,
    kind: Kind,
    filters: Filters,
    sort: str | None = None,
    descending: bool = True,
    archived: str | None = None,
) -> Page:
    """One page of `kind` the actor may read, filtered, searched and sorted.

    `sort` must be one of SORTS[name] (else the default, newest first); `filters.extra`
    holds already-parsed values of EXTRA[name]; `archived` is one of ARCHIVED (None:
    as `filters.include_archived` says).
    """
    if archived is None:
        archived = "with" if filters.include_archived else ""
    query, ordered = _query(session, actor, name, kind, filters, sort, descending, archived)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = session.scalars(ordered.limit(filters.limit).offset(filters.offset)).unique()
    return Page(
        [kind.to_json(session, row) for row in rows], total or 0, filters.limit, filters.offset
    )


def browse_all(
    session: so.Session,
    actor: Actor,
    name: str,
    kind: Kind,
    filters: Filters,
    sort: str | None = None,
    descending: bool = True,
    archived: str = "",
    batch: int = 500,
) -> Iterator[dict[str, Any]]:
    """Every record of the filtered list (no paging), in the list's order, as JSON,
    `batch` at a time: what an export of the list writes."""
    _, ordered = _query(session, actor, name, kind, filters, sort, descending, archived)
    offset = 0
    while True:
        rows = list(session.scalars(ordered.limit(batch).offset(offset)).unique())
        for row in rows:
            yield kind.to_json(session, row)
        if len(rows) < batch:
            return
        offset += batch
