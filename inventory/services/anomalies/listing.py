"""The auditors' view of the flags: filters, a page of rows, counts, a detail, the map.

Everything starts from `filtered()`: the flags an actor may read (an officer only those
of their own municipality) that match a `FlagFilters`. The list page, the counts, the
map layer, the exports and the API all use it, so they can never disagree about which
flags "the filtered list" is. Filters are plain values validated here; user input only
ever reaches SQL as bind parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import (
    AnomalyFlag,
    ContractObject,
    FlagStatus,
    LeaseContract,
    Lessee,
    Municipality,
    Parcel,
    Severity,
    User,
)
from inventory.services.anomalies import workflow
from inventory.services.anomalies.messages import describe
from inventory.services.anomalies.rules import RULES
from inventory.services.anomalies.scope import municipality_id_of
from inventory.services.errors import NotFound, ValidationError
from inventory.services.permissions import (
    Actor,
    readable_municipality,
    require_read,
    require_write,
)
from inventory.services.terms import bounded

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
#: The map layer stays small whatever the filter: the most severe flags come first.
MAP_LIMIT = 2000


def _choices(values: list[str], allowed, name: str) -> tuple[str, ...]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationError(
            "unknown %(name)s %(unknown)s; expected one of %(allowed)s",
            field=name,
            name=name,
            unknown=", ".join(unknown),
            allowed=", ".join(allowed),
        )
    return tuple(values)


def _date(raw: str | None, name: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError("expected a date as YYYY-MM-DD", field=name) from None


def _int(raw: str | None, name: str, default: int, low: int, high: int | None) -> int:
    if raw in (None, ""):
        return default
    if not str(raw).isdecimal() or int(raw) < low or (high is not None and int(raw) > high):
        if high:
            raise ValidationError(
                "expected a whole number from %(low)s to %(high)s", field=name, low=low, high=high
            )
        raise ValidationError("expected a whole number from %(low)s", field=name, low=low)
    return int(raw)


@dataclass(frozen=True)
class FlagFilters:
    """What the reader asked for. Empty tuples and None match everything.

    `seen_from`/`seen_to` keep the flags whose life (first seen .. last seen) overlaps
    those days; `lessee` matches a lessee's name or ИНН on the flag's contract or on a
    contract of the flag's parcel.
    """

    municipality: str | None = None
    rules: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    seen_from: dt.date | None = None
    seen_to: dt.date | None = None
    lessee: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> FlagFilters:
        """Parse query-string arguments (a werkzeug MultiDict or a plain dict);
        ValidationError names the argument at fault."""

        def many(name: str) -> list[str]:
            values = (
                args.getlist(name)
                if hasattr(args, "getlist")
                else ([args[name]] if args.get(name) else [])
            )
            return [v for raw in values for v in str(raw).split(",") if v]

        return cls(
            municipality=bounded(args.get("municipality"), "municipality"),
            rules=_choices(many("rule"), list(RULES), "rule"),
            severities=_choices(many("severity"), [s.value for s in Severity], "severity"),
            statuses=_choices(many("status"), [s.value for s in FlagStatus], "status"),
            seen_from=_date(args.get("seen_from"), "seen_from"),
            seen_to=_date(args.get("seen_to"), "seen_to"),
            lessee=bounded(args.get("lessee"), "lessee"),
            limit=_int(args.get("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
            offset=_int(args.get("offset"), "offset", 0, 0, None),
        )

    def as_args(self) -> dict[str, Any]:
        """The filters as query-string arguments (for links to exports and pages)."""
        args: dict[str, Any] = {
            "municipality": self.municipality,
            "rule": list(self.rules),
            "severity": list(self.severities),
            "status": list(self.statuses),
            "seen_from": self.seen_from and self.seen_from.isoformat(),
            "seen_to": self.seen_to and self.seen_to.isoformat(),
            "lessee": self.lessee,
        }
        return {k: v for k, v in args.items() if v}


def _lessee_matches(text: str) -> sa.ColumnElement[bool]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches = sa.or_(
        Lessee.name.ilike(f"%{escaped}%", escape="\\"), Lessee.inn.like(f"{escaped}%", escape="\\")
    )
    by_contract = (
        sa.select(LeaseContract.id)
        .join(Lessee, Lessee.id == LeaseContract.lessee_id)
        .where(matches)
    )
    by_parcel = (
        sa.select(ContractObject.parcel_id)
        .join(LeaseContract, LeaseContract.id == ContractObject.contract_id)
        .join(Lessee, Lessee.id == LeaseContract.lessee_id)
        .where(matches)
    )
    return sa.or_(AnomalyFlag.contract_id.in_(by_contract), AnomalyFlag.parcel_id.in_(by_parcel))


def filtered(session: so.Session, actor: Actor, filters: FlagFilters) -> sa.Select:
    """A Select of the AnomalyFlag rows the actor may read that match `filters`, most
    severe and most recently seen first (no limit). Forbidden when an officer asks for
    another municipality; NotFound for an unknown municipality."""
    wanted = municipality_id_of(session, filters.municipality)
    if wanted is not None:
        require_read(actor, wanted)
    query = workflow.list_flags(
        session,
        municipality=wanted,
        rules=filters.rules or None,
        statuses=filters.statuses or None,
        severities=filters.severities or None,
    )
    confined = readable_municipality(actor)
    if confined is not None:
        query = query.where(AnomalyFlag.municipality_id == confined)
    if filters.seen_from is not None:
        query = query.where(sa.func.date(AnomalyFlag.last_seen_at) >= filters.seen_from)
    if filters.seen_to is not None:
        query = query.where(sa.func.date(AnomalyFlag.first_seen_at) <= filters.seen_to)
    if filters.lessee:
        query = query.where(_lessee_matches(filters.lessee))
    return query


def object_label() -> sa.ColumnElement[str]:
    """SQL: what a flag is about, as people name it (parcel code / contract number)."""
    return sa.func.concat_ws(" / ", Parcel.ident_code, LeaseContract.number)


def with_labels(query: sa.Select) -> sa.Select:
    """`query` (of AnomalyFlag) with the municipality slug and the object label added."""
    return (
        query.add_columns(Municipality.slug.label("municipality"), object_label().label("object"))
        .join(Municipality, Municipality.id == AnomalyFlag.municipality_id)
        .outerjoin(Parcel, Parcel.id == AnomalyFlag.parcel_id)
        .outerjoin(LeaseContract, LeaseContract.id == AnomalyFlag.contract_id)
    )


@dataclass
class FlagPage:
    """One page of flags with the total and the counts of the whole filtered list."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    by_rule: list[tuple[str, int]] = field(default_factory=list)
    by_municipality: list[tuple[str, int]] = field(default_factory=list)


def flag_json(flag: AnomalyFlag, municipality: str, obj: str) -> dict[str, Any]:
    """A flag as the list, the API and the exports name its fields."""
    return {
        "id": flag.id,
        "rule": flag.rule,
        "severity": flag.severity.value,
        "status": flag.status.value,
        "municipality": municipality,
        "object": obj,
        "parcel_id": flag.parcel_id,
        "contract_id": flag.contract_id,
        "message": describe(flag.rule, flag.evidence, flag.message),
        "evidence": flag.evidence,
        "reason": flag.reason,
        "first_seen": flag.first_seen_at.isoformat(),
        "last_seen": flag.last_seen_at.isoformat(),
    }


def page(
    session: so.Session, actor: Actor, filters: FlagFilters, with_counts: bool = True
) -> FlagPage:
    """A page of the filtered flags (limit/offset), the total, and (unless told not to)
    the counts per rule and per municipality of the whole filtered list."""
    query = filtered(session, actor, filters)
    ids = query.with_only_columns(AnomalyFlag.id).order_by(None).subquery()
    total = session.scalar(sa.select(sa.func.count()).select_from(ids)) or 0
    rows = session.execute(with_labels(query).limit(filters.limit).offset(filters.offset))
    result = FlagPage([flag_json(*row) for row in rows], total, filters.limit, filters.offset)
    if with_counts:
        result.by_rule = [
            tuple(r)
            for r in session.execute(
                sa.select(AnomalyFlag.rule, sa.func.count())
                .where(AnomalyFlag.id.in_(sa.select(ids.c.id)))
                .group_by(AnomalyFlag.rule)
                .order_by(sa.func.count().desc(), AnomalyFlag.rule)
            )
        ]
        result.by_municipality = [
            tuple(r)
            for r in session.execute(
                sa.select(Municipality.slug, sa.func.count())
                .join(AnomalyFlag, AnomalyFlag.municipality_id == Municipality.id)
                .where(AnomalyFlag.id.in_(sa.select(ids.c.id)))
                .group_by(Municipality.slug)
                .order_by(Municipality.slug)
            )
        ]
    return result


def detail(session: so.Session, actor: Actor, flag_id: int) -> dict[str, Any]:
    """One flag the actor may read, with who last changed its status; NotFound or
    Forbidden otherwise (an officer of another city learns nothing about it)."""
    flag = session.get(AnomalyFlag, flag_id)
    if flag is None:
        raise NotFound("no anomaly flag %(id)s", field="flag_id", id=flag_id)
    require_read(actor, flag.municipality_id)
    row = session.execute(
        with_labels(sa.select(AnomalyFlag)).where(AnomalyFlag.id == flag_id)
    ).one()
    result = flag_json(*row)
    result["status_changed_at"] = flag.status_changed_at
    result["status_changed_by"] = (
        session.scalar(sa.select(User.username).where(User.id == flag.status_changed_by_id))
        if flag.status_changed_by_id
        else None
    )
    result["municipality_id"] = flag.municipality_id
    return result


def change_status(
    session: so.Session, actor: Actor, flag_id: int, status: str, reason: str | None
) -> AnomalyFlag:
    """Confirm, resolve or dismiss a flag for an officer of its municipality or an admin
    (auditors read only: Forbidden). Checks rights before anything is said about the
    input. The caller commits."""
    flag = session.get(AnomalyFlag, flag_id)
    if flag is None:
        raise NotFound("no anomaly flag %(id)s", field="flag_id", id=flag_id)
    require_read(actor, flag.municipality_id)
    require_write(actor, flag.municipality_id)
    if status not in (
        FlagStatus.CONFIRMED,
        FlagStatus.RESOLVED,
        FlagStatus.DISMISSED,
        FlagStatus.OPEN,
    ):
        raise ValidationError("expected confirmed, resolved, dismissed or open", field="status")
    return workflow.set_status(session, flag_id, status, actor.user_id, reason)


_MAP_SQL = sa.text("""
WITH wanted AS (SELECT * FROM unnest(CAST(:ids AS int[])) WITH ORDINALITY AS w(id, n)),
located AS (
    -- A contract's flag is drawn on the parcels the contract leases.
    SELECT DISTINCT ON (a.id, p.id) a.id AS flag_id, a.rule, a.severity, a.status,
           p.id AS parcel_id, p.ident_code, p.geom, w.n
      FROM wanted w
      JOIN anomaly_flag a ON a.id = w.id
      LEFT JOIN contract_object co ON co.contract_id = a.contract_id
      JOIN parcel p ON p.id = coalesce(a.parcel_id, co.parcel_id) AND p.geom IS NOT NULL
)
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
           json_build_object('type', 'Feature',
                             'geometry', CAST(ST_AsGeoJSON(geom, 6) AS json),
                             'properties', json_build_object(
                                 'flag_id', flag_id, 'rule', rule, 'severity', severity,
                                 'status', status, 'parcel', ident_code)) ORDER BY n),
           '[]'::json))
  FROM located
""")


def map_layer(session: so.Session, actor: Actor, filters: FlagFilters) -> dict[str, Any]:
    """The parcels of the filtered flags (at most MAP_LIMIT flags, the most severe
    first) as a GeoJSON FeatureCollection made by PostGIS: never all parcels."""
    ids = list(
        session.scalars(
            filtered(session, actor, filters).with_only_columns(AnomalyFlag.id).limit(MAP_LIMIT)
        )
    )
    return session.scalar(_MAP_SQL, {"ids": ids})


#: The flag column that names a record of each kind.
_FLAG_COLUMNS = {
    "parcels": AnomalyFlag.parcel_id,
    "contracts": AnomalyFlag.contract_id,
    "buildings": AnomalyFlag.building_id,
}


def of_record(session: so.Session, actor: Actor, kind: str, record_id: int) -> list[dict[str, Any]]:
    """The flags about one parcel, contract or building the actor may read (a contract's
    flags count for the parcels it leases too), newest first; [] for other kinds."""
    column = _FLAG_COLUMNS.get(kind)
    if column is None:
        return []
    about = column == record_id
    if kind == "parcels":
        leases = sa.select(ContractObject.contract_id).where(ContractObject.parcel_id == record_id)
        about = sa.or_(about, AnomalyFlag.contract_id.in_(leases))
    query = sa.select(AnomalyFlag).where(about)
    confined = readable_municipality(actor)
    if confined is not None:
        query = query.where(AnomalyFlag.municipality_id == confined)
    rows = session.execute(with_labels(query).order_by(AnomalyFlag.last_seen_at.desc()).limit(50))
    return [flag_json(*row) for row in rows]
