"""Restoring an earlier version of a record: a new change, never a rewrite of history.

The values a record had after one recorded change (`change_record.after`) are sent
through the kind's ordinary `update`, with the version the officer loaded, so the
permission check, validation, optimistic locking and the history trigger all apply as
for any edit. Only the fields the kind's service accepts are restored (not ids, dates
of creation or computed areas), and whether the record is archived: a version from
before archiving un-archives it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import ChangeRecord
from inventory.services.anomalies.engine import recheck_record
from inventory.services.errors import NotFound, ValidationError
from inventory.services.permissions import Actor
from inventory.services.records.common import Kind, check_version, flush


def _value_for(session: so.Session, kind: Kind, name: str, snapshot: dict[str, Any]) -> Any:
    column = kind.renamed.get(name, name)
    value = snapshot.get(column)
    if name in kind.renamed and value is not None:
        # A reference stored as its id goes back as its code, as clients send it.
        target = getattr(kind.model, column).property.columns[0].foreign_keys
        table = next(iter(target)).column.table
        value = session.scalar(sa.select(table.c.code).where(table.c.id == value))
    return value


def restore(
    session: so.Session,
    actor: Actor,
    kind: Kind,
    record_id: int,
    change_id: int,
    version: Any,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Make the record look as it did after change `change_id`; its JSON with warnings.
    Its flags are re-checked with `settings`, as after any edit.

    Raises Conflict when `version` is not the current one, NotFound when the change is
    not one of this record's.
    """
    current = kind.load(session, actor, record_id)
    change = session.get(ChangeRecord, change_id)
    if change is None or change.table_name != kind.table or change.record_id != record_id:
        raise NotFound("no change %(change)s of this record", change=change_id)
    if change.after is None:
        raise ValidationError("this change deleted the record; there is nothing to restore")
    snapshot = change.after
    data: dict[str, Any] = {
        name: _value_for(session, kind, name, snapshot)
        for name in kind.spec
        if kind.renamed.get(name, name) in snapshot
    }
    for name in ("contract_id", "parcel_id", "building_id", "lessee_id"):
        # An unchanged parent is not sent: some services refuse any move (payments).
        if name in data and data[name] == getattr(current, name, None):
            data.pop(name)
    if "geometry" in kind.extra_fields and "geom" in snapshot:
        # PostGIS turns geometry into GeoJSON in to_jsonb(), so the snapshot holds it so.
        data["geometry"] = snapshot["geom"]
    data["version"] = version
    if current.archived_at is None or snapshot.get("archived_at", "") is not None:
        return kind.update(session, actor, record_id, data, settings)
    # A version from before the record was archived brings it back to the lists, in the
    # same change: checked first, and not flushed before update sets the audit actor and
    # compares the version.
    kind.begin_write(session, actor, kind.municipality_of(session, current))
    check_version(current, version)
    with session.no_autoflush:
        current.archived_at = None
        return kind.update(session, actor, record_id, data, settings)


def history(session: so.Session, actor: Actor, kind: Kind, record_id: int) -> list[dict[str, Any]]:
    """The kind's history of the record (oldest first), each change with its `id`, the
    handle `restore` takes (for changes of the record itself, `table` == kind.table)."""
    return kind.history(session, actor, record_id)


def unarchive(
    session: so.Session,
    actor: Actor,
    kind: Kind,
    record_id: int,
    version: Any,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Bring an archived record back to the lists (and the public map) as it is now: one
    new change, checked like any edit (rights, the version the officer loaded); its
    flags are re-checked. A record that is not archived is left as it is."""
    obj = kind.load(session, actor, record_id)
    kind.begin_write(session, actor, kind.municipality_of(session, obj))
    check_version(obj, version)
    if obj.archived_at is not None:
        obj.archived_at = None
        flush(session)
        recheck_record(session, obj, settings)
    return kind.to_json(session, obj)
