"""What every kind of record shares: scoping by role, paging, versions, archiving, history.

A `Kind` describes one table (model, fields, search, JSON shape) and gives the five
operations the API offers: list, get, create, update, archive, plus its history. The
modules next to this one make one `Kind` each and add what is special about them.

Every write checks the actor's right first (inventory.services.permissions), then sets
the audit actor so the history triggers record who did it, then flushes; the caller
commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as so
from sqlalchemy.orm.exc import StaleDataError

from inventory.models import ChangeRecord, Municipality, User
from inventory.services import audit
from inventory.services.anomalies.engine import recheck_record
from inventory.services.errors import Conflict, NotFound, ValidationError
from inventory.services.permissions import (
    Actor,
    readable_municipality,
    require_read,
    require_write,
)
from inventory.services.records import fields, references
from inventory.services.records.descriptor import Field
from inventory.services.records.paging import Filters, Page
from inventory.services.reference_names import Names, canonical_data

#: Database constraints the client can break, and the field each one is about.
CONSTRAINT_FIELDS = {
    "uq_parcel_ident_code": "ident_code",
    "uq_building_inventory_number": "inventory_number",
    "uq_lease_contract_number": "number",
    "uq_lessee_inn": "inn",
    "ck_lessee_inn_14_digits": "inn",
    "ck_lessee_legal_entity_has_inn": "inn",
    "ck_lessee_entrepreneur_has_personal_inn": "inn",
    "uq_lessee_external_key": "external_key",
    "ck_lease_contract_end_after_start": "end_date",
    "ck_lease_contract_terminated_has_date": "terminated_on",
    "uq_payment_natural_key": "reference",
    "uq_inspection_natural_key": "inspected_on",
    "uq_contract_object": "objects",
    "ck_contract_object_one_object": "objects",
}


def municipality_id(session: so.Session, slug: str | None, actor: Actor) -> int:
    """The id of the municipality named by slug; an officer's own when none is given."""
    if not slug:
        if actor.municipality_id is not None:
            return actor.municipality_id
        raise ValidationError("required", field="municipality")
    found = session.scalar(sa.select(Municipality.id).where(Municipality.slug == slug))
    if found is None:
        raise ValidationError("no municipality '%(slug)s'", field="municipality", slug=slug)
    return found


def like_any(q: str, *columns) -> sa.ColumnElement[bool]:
    """`q` anywhere in any column, case-insensitive (served by the trigram GIN indexes)."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.or_(*(column.ilike(f"%{escaped}%", escape="\\") for column in columns))


def flush(session: so.Session) -> None:
    """Flush in a savepoint, turning stale versions and broken constraints into errors."""
    try:
        with session.begin_nested():
            session.flush()
    except StaleDataError:
        raise Conflict(
            "someone else changed this record since you loaded it; reload it "
            "and apply your change again",
            field="version",
        ) from None
    except sa_exc.IntegrityError as exc:
        name = getattr(getattr(exc.orig, "diag", None), "constraint_name", None) or ""
        target = CONSTRAINT_FIELDS.get(name)
        if name.startswith("uq_"):
            raise Conflict("another record already has this value", field=target) from None
        raise ValidationError(
            "refused by the database rule %(rule)s", field=target, rule=name or "unknown"
        ) from None


def check_version(obj: Any, version: Any) -> None:
    """Conflict unless the client based its change on the record's current version."""
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError("required: the version you loaded", field="version")
    if version != obj.version:
        raise Conflict(
            "this record was changed by someone else (version %(current)s, "
            "yours %(yours)s); reload it and apply your change again",
            field="version",
            current=obj.version,
            yours=version,
        )


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def number(value) -> float | None:
    return None if value is None else float(value)


class Kind:
    """One kind of record, with the operations of the API. Subclasses fill the blanks.

    A subclass lists its `fields` (inventory.services.records.descriptor); what the API
    accepts (`spec`, `required`, `renamed`, `extra_fields`) is derived from them when the
    subclass is defined, and so are the office pages, the imports and the API document.
    """

    model: Any
    table: str
    #: The kind's name in URLs ("parcels") and its title on pages.
    name: str
    title: Any
    #: What one record is called (a record's page: "Parcel: 5-08-...").
    one: Any
    fields: tuple[Field, ...] = ()
    #: What the `q` of a list searches, for the API document.
    searched: str = ""
    #: How lists of related records order this kind (newest first).
    newest_first: Any = None
    #: Records of this kind are GeoJSON Features (they have a polygon).
    feature: bool = False
    # Derived from `fields`:
    spec: dict[str, fields.Parser] = {}
    required: tuple[str, ...] = ()
    #: Fields handled by the subclass (not plain columns).
    extra_fields: tuple[str, ...] = ()
    #: JSON names whose column is named differently (a code parsed to a foreign key).
    renamed: dict[str, str] = {}
    has_municipality: bool = True
    #: Tables whose rows belong to a record of this kind, shown in its history: (table,
    #: column naming the record), e.g. a contract's objects.
    children: tuple[tuple[str, str], ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        special = ("objects", "geometry")
        cls.spec = {f.name: f.parser() for f in cls.fields if f.accepted and f.type not in special}
        cls.required = tuple(f.name for f in cls.fields if f.required)
        cls.renamed = {f.name: f.column for f in cls.fields if f.accepted and f.column}
        cls.extra_fields = tuple(f.name for f in cls.fields if f.type in special)

    def field(self, name: str) -> Field | None:
        """The field called `name`, if the kind has one."""
        return next((f for f in self.fields if f.name == name), None)

    # -- to be filled by each kind -------------------------------------------------
    def search(self, q: str) -> sa.ColumnElement[bool]:
        raise NotImplementedError

    def to_json(self, session: so.Session, obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def municipality_of(self, session: so.Session, obj: Any) -> int:
        return obj.municipality_id

    def prepare(
        self, session: so.Session, actor: Actor, obj: Any, data: Mapping[str, Any], creating: bool
    ) -> list[dict[str, Any]]:
        """Apply the non-column fields of `data`; return warnings for the client."""
        return []

    def after_write(self, session: so.Session, obj: Any) -> None:
        """Work that follows a saved change (e.g. rebuilding a payment schedule)."""

    def select(self) -> sa.Select:
        return sa.select(self.model)

    def scope(self, query: sa.Select, municipality_ids) -> sa.Select:
        return query.where(self.model.municipality_id.in_(municipality_ids))

    # -- operations ------------------------------------------------------------------
    def filtered(self, session: so.Session, actor: Actor, filters: Filters) -> sa.Select:
        """The records the actor may read that match `filters` (municipality, archived,
        status, search), unordered and unpaged: what the API list and the office lists
        start from. Asking for a municipality the actor may not read is Forbidden."""
        query = self.select()
        confined = readable_municipality(actor)
        wanted = None
        if filters.municipality:
            wanted = municipality_id(session, filters.municipality, actor)
            require_read(actor, wanted)
        ids = [i for i in (confined, wanted) if i is not None]
        if ids:
            query = self.scope(query, ids)
        if not filters.include_archived:
            query = query.where(self.model.archived_at.is_(None))
        if filters.status and hasattr(self.model, "status"):
            # "?status=свободен" as well as "?status=free": a name or synonym is its code.
            status = filters.status
            if (described := self.field("status")) is not None:
                status = Names(session).code_or_value(described, status)
            query = query.where(self.model.status == status)
        if filters.q:
            query = query.where(self.search(filters.q))
        return query

    def list(self, session: so.Session, actor: Actor, filters: Filters) -> Page:
        """Records the actor may read, newest first, filtered and paged, with the total."""
        query = self.filtered(session, actor, filters)
        total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = session.scalars(
            query.order_by(self.model.id.desc()).limit(filters.limit).offset(filters.offset)
        ).unique()
        return Page(
            [self.to_json(session, row) for row in rows], total or 0, filters.limit, filters.offset
        )

    def load(self, session: so.Session, actor: Actor, record_id: int) -> Any:
        """The record, if it exists and the actor may read it."""
        obj = session.get(self.model, record_id)
        if obj is None:
            raise NotFound("no %(table)s %(id)s", table=self.table.replace("_", " "), id=record_id)
        require_read(actor, self.municipality_of(session, obj))
        return obj

    def get(self, session: so.Session, actor: Actor, record_id: int) -> dict[str, Any]:
        return self.to_json(session, self.load(session, actor, record_id))

    def check_references(self, session: so.Session, obj: Any) -> None:
        """Every record `obj` names is of its own municipality (records.references);
        nothing is flushed before it is checked."""
        with session.no_autoflush:
            references.check(session, self, obj, self.municipality_of(session, obj))

    def begin_write(self, session: so.Session, actor: Actor, municipality: int) -> None:
        require_write(actor, municipality)
        audit.set_actor(session, actor.user_id, actor.source)

    def create(
        self,
        session: so.Session,
        actor: Actor,
        data: Mapping[str, Any],
        settings: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A new record from the client's fields; its JSON, with any warnings. Its flags
        are re-checked at once with the thresholds of `settings` (the operator's)."""
        data = canonical_data(session, self.fields, data)
        values = fields.parse(
            session,
            data,
            self.spec,
            required=self.required,
            ignore=self.extra_fields + ("municipality",),
        )
        obj = self.model(**{self.renamed.get(k, k): v for k, v in values.items()})
        if self.has_municipality:
            obj.municipality_id = municipality_id(session, data.get("municipality"), actor)
            # Refuse before validating further: no hints about another city's records.
            require_write(actor, obj.municipality_id)
        warnings = self.prepare(session, actor, obj, data, creating=True)
        self.begin_write(session, actor, self.municipality_of(session, obj))
        session.add(obj)
        return self._saved(session, obj, warnings, settings)

    def update(
        self,
        session: so.Session,
        actor: Actor,
        record_id: int,
        data: Mapping[str, Any],
        settings: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Change the fields sent, if `version` is the record's current one (else 409);
        re-check its flags with `settings`."""
        obj = self.load(session, actor, record_id)
        self.begin_write(session, actor, self.municipality_of(session, obj))
        if not isinstance(data, Mapping):
            raise ValidationError("expected a JSON object")
        check_version(obj, data.get("version"))
        data = canonical_data(session, self.fields, data)
        values = fields.parse(session, data, self.spec, ignore=self.extra_fields + ("version",))
        for name in self.required:
            if name in values and values[name] is None:
                raise ValidationError("required", field=name)
        for name, value in values.items():
            setattr(obj, self.renamed.get(name, name), value)
        warnings = self.prepare(session, actor, obj, data, creating=False)
        return self._saved(session, obj, warnings, settings)

    def archive(
        self,
        session: so.Session,
        actor: Actor,
        record_id: int,
        version: int | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Hide the record from lists (its history stays); idempotent."""
        obj = self.load(session, actor, record_id)
        self.begin_write(session, actor, self.municipality_of(session, obj))
        if version is not None:
            check_version(obj, version)
        if obj.archived_at is None:
            obj.archived_at = dt.datetime.now(dt.UTC)
            flush(session)
            recheck_record(session, obj, settings)
        return self.to_json(session, obj)

    def history(self, session: so.Session, actor: Actor, record_id: int) -> list[dict[str, Any]]:
        """Every recorded change of the record and of its `children` rows, oldest first:
        who, when, what; `table` says whose change it is, `id` is the change's handle."""
        self.load(session, actor, record_id)
        mine = sa.and_(ChangeRecord.table_name == self.table, ChangeRecord.record_id == record_id)
        owned = []
        for table, column in self.children:
            # The child rows there now and the ones deleted since (rows never move to
            # another parent), so the lookup stays on the (table, record) index.
            rows_now = (
                sa.select(sa.column("id"))
                .select_from(sa.table(table))
                .where(sa.column(column) == record_id)
            )
            deleted = sa.select(ChangeRecord.record_id).where(
                ChangeRecord.table_name == table,
                ChangeRecord.action == "delete",
                ChangeRecord.before[column].astext == str(record_id),
            )
            owned.append(
                sa.and_(
                    ChangeRecord.table_name == table,
                    ChangeRecord.record_id.in_(sa.union(rows_now, deleted)),
                )
            )
        rows = session.execute(
            sa.select(ChangeRecord, User.username)
            .outerjoin(User, User.id == ChangeRecord.changed_by_id)
            .where(sa.or_(mine, *owned))
            .order_by(ChangeRecord.id)
        )
        return [
            {
                "id": change.id,
                "table": change.table_name,
                "at": iso(change.changed_at),
                "action": change.action,
                "user": username,
                "user_id": change.changed_by_id,
                "source": change.source,
                "changed": _changed_keys(change.before, change.after),
                "before": change.before,
                "after": change.after,
            }
            for change, username in rows
        ]

    def _saved(
        self,
        session: so.Session,
        obj: Any,
        warnings: list[dict[str, Any]],
        settings: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        """Write a created or changed record, do what follows a write, re-check its flags
        (they are current as soon as it is saved) and answer with its JSON. Whatever
        path the change came by, its references are checked here first."""
        self.check_references(session, obj)
        flush(session)
        self.after_write(session, obj)
        recheck_record(session, obj, settings)
        return self._answer(session, obj, warnings)

    def _answer(self, session: so.Session, obj: Any, warnings: list[dict[str, Any]]):
        session.refresh(obj)  # values the database set (measured area, version, dates)
        body = self.to_json(session, obj)
        if warnings:
            body["warnings"] = warnings
        return body


def _changed_keys(before: dict | None, after: dict | None) -> list[str]:
    before, after = before or {}, after or {}
    return sorted(
        k
        for k in set(before) | set(after)
        if before.get(k) != after.get(k) and k not in ("updated_at", "version")
    )
