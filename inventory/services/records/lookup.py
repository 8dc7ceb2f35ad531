"""Finding a record to pick in a form: the office's record pickers ask here by what people
know a record by (a parcel's code or address, a lessee's name or ИНН, a contract's
number), and get back ids with a readable label.

Each kind's own scoping and search are used (Kind.filtered), so a picker never offers a
record the actor could not read, nor one of another municipality when the form names its
municipality; archived records are never offered.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Building, LeaseContract, Lessee, Parcel
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor, can_read
from inventory.services.records import KINDS
from inventory.services.records.paging import Filters

#: The kinds a form may pick, and the column their list of matches is ordered by.
PICKABLE = {
    "parcels": Parcel.ident_code,
    "buildings": Building.inventory_number,
    "lessees": Lessee.name,
    "contracts": LeaseContract.number,
}
#: The longest text searched for; the most matches answered.
MAX_QUERY = 100
MAX_MATCHES = 15


def label(obj: Any) -> str:
    """How a record is named in a picker: its code, number or name and what tells it apart."""
    if isinstance(obj, Parcel):
        return " — ".join(p for p in (obj.ident_code, obj.address) if p)
    if isinstance(obj, Building):
        return " — ".join(p for p in (obj.inventory_number, obj.name or obj.address) if p)
    if isinstance(obj, Lessee):
        return f"{obj.name} ({obj.inn})" if obj.inn else obj.name
    if isinstance(obj, LeaseContract):
        return f"{obj.number} — {obj.lessee.name}"
    raise TypeError(type(obj).__name__)


def code(obj: Any) -> str | None:
    """What a record is written as where a form names it by text (a contract's leased
    objects): a parcel's code, a building's inventory number, a contract's number."""
    if isinstance(obj, Parcel):
        return obj.ident_code
    if isinstance(obj, Building):
        return obj.inventory_number
    if isinstance(obj, LeaseContract):
        return obj.number
    return None


def _kind(name: str):
    if name not in PICKABLE:
        raise KeyError(f"records of kind {name!r} are not picked in forms")
    return KINDS[name]


def find(
    session: so.Session, actor: Actor, name: str, q: str, municipality: str | None = None
) -> list[dict[str, Any]]:
    """Up to MAX_MATCHES records of kind `name` matching `q` that the actor may read (in
    `municipality`, a slug, when given), as {"id", "label", "code"}. A number also finds
    the record with that id."""
    kind = _kind(name)
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise ValidationError(
            "at most %(max)s characters may be searched for", field="q", max=MAX_QUERY
        )
    if not q:
        return []
    query = kind.filtered(session, actor, Filters(municipality=municipality or None))
    found = kind.search(q)
    if q.isdecimal() and len(q) < 10:
        found = sa.or_(found, kind.model.id == int(q))
    rows = session.scalars(
        query.where(found).order_by(PICKABLE[name], kind.model.id).limit(MAX_MATCHES)
    ).unique()
    return [{"id": row.id, "label": label(row), "code": code(row)} for row in rows]


def label_of(session: so.Session, actor: Actor, name: str, record_id: Any) -> str | None:
    """The picker's label of the record a form holds, if it exists and the actor may read
    it (else None: the form shows the id as it is)."""
    kind = _kind(name)
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        return None
    obj = session.get(kind.model, record_id) if 0 < record_id < 2**31 else None
    if obj is None or not can_read(actor, kind.municipality_of(session, obj)):
        return None
    return label(obj)
