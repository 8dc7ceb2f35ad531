"""Restoring an earlier version of a record: a new change, never a rewrite of history.

The values a record had after one recorded change (`change_record.after`) are sent
through the kind's ordinary `update`, with the version the officer loaded, so the
permission check, validation, optimistic locking and the history trigger all apply as
for any edit. Only the fields the kind's service accepts are restored (not ids, dates
of creation or computed areas).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import ChangeRecord
from inventory.services.errors import NotFound, ValidationError
from inventory.services.permissions import Actor
from inventory.services.records.common import Kind


def _value_for(session: so.Session, kind: Kind, name: str, snapshot: dict[str, Any]) -> Any:
    column = kind.renamed.get(name, name)
    value = snapshot.get(column)
    if name in kind.renamed and value is not None:
        # A reference stored as its id goes back as its code, as clients send it.
        target = getattr(kind.model, column).property.columns[0].foreign_keys
        table = next(iter(target)).column.table
        value = session.scalar(sa.select(table.c.code).where(table.c.id == value))
    return value


def restore(session: so.Session, actor: Actor, kind: Kind, record_id: int, change_id: int,
            version: Any) -> dict[str, Any]:
    """Make the record look as it did after change `change_id`; its JSON with warnings.

    Raises Conflict when `version` is not the current one, NotFound when the change is
    not one of this record's.
    """
    current = kind.load(session, actor, record_id)
    change = session.get(ChangeRecord, change_id)
    if change is None or change.table_name != kind.table or change.record_id != record_id:
        raise NotFound(f"no change {change_id} of this record")
    if change.after is None:
        raise ValidationError("this change deleted the record; there is nothing to restore")
    snapshot = change.after
    data: dict[str, Any] = {name: _value_for(session, kind, name, snapshot)
                            for name in kind.spec
                            if kind.renamed.get(name, name) in snapshot}
    for name in ("contract_id", "parcel_id", "building_id", "lessee_id"):
        # An unchanged parent is not sent: some services refuse any move (payments).
        if name in data and data[name] == getattr(current, name, None):
            data.pop(name)
    if "geometry" in kind.extra_fields and "geom" in snapshot:
        # PostGIS turns geometry into GeoJSON in to_jsonb(), so the snapshot holds it so.
        data["geometry"] = snapshot["geom"]
    data["version"] = version
    return kind.update(session, actor, record_id, data)


def history(session: so.Session, actor: Actor, kind: Kind, record_id: int
            ) -> list[dict[str, Any]]:
    """The kind's history of the record (oldest first), each change with its `id`, the
    handle `restore` takes."""
    changes = kind.history(session, actor, record_id)
    ids = session.scalars(sa.select(ChangeRecord.id).where(
        ChangeRecord.table_name == kind.table, ChangeRecord.record_id == record_id)
        .order_by(ChangeRecord.id)).all()
    return [{**change, "id": change_id} for change, change_id in zip(changes, ids, strict=True)]
