"""The officers' side of citizen reports: the queue, one report, publish and reject.

Officers see and moderate the reports of their own municipality, administrators all of
them, auditors read every report and moderate none. The checks are made here, whatever
page, API route or command calls: an officer asking for another city's report is
refused (Forbidden) before anything about it is said. Staff see the resident's contact;
no public output ever selects it (inventory.services.public.reports).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import CitizenReport, Municipality, Parcel, User
from inventory.models.report import ReportStatus
from inventory.services import audit
from inventory.services.anomalies.scope import municipality_id_of
from inventory.services.errors import NotFound, ValidationError
from inventory.services.permissions import (
    Actor,
    can_write,
    readable_municipality,
    require_read,
    require_write,
)
from inventory.services.photos import sniff
from inventory.services.public import reports as public_reports
from inventory.services.records.paging import Page

STATUSES = tuple(s.value for s in ReportStatus)
MAX_REASON = 2000


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _status(value: str | None) -> str | None:
    if value in (None, "", "all"):
        return None
    if value not in STATUSES:
        raise ValidationError("expected pending, published or rejected", field="status")
    return value


def _select() -> sa.Select:
    """Each report with what a reader needs beside it: its city, parcel code, the
    moderator's name and the point as GeoJSON."""
    return (
        sa.select(
            CitizenReport,
            Municipality.slug,
            Parcel.ident_code,
            User.username,
            sa.func.ST_AsGeoJSON(CitizenReport.location, 7).label("point"),
        )
        .join(Municipality, Municipality.id == CitizenReport.municipality_id)
        .outerjoin(Parcel, Parcel.id == CitizenReport.parcel_id)
        .outerjoin(User, User.id == CitizenReport.moderated_by_id)
    )


def _json(report: CitizenReport, slug: str, ident_code: str | None, moderator, point) -> dict:
    return {
        "id": report.id,
        "municipality": slug,
        "parcel_id": report.parcel_id,
        "ident_code": ident_code,
        "location": json.loads(point) if point else None,
        "text": report.text,
        "contact": report.contact,
        "has_photo": report.photo_path is not None,
        "status": ReportStatus(report.status).value,
        "created_at": _iso(report.created_at),
        "moderated_at": _iso(report.moderated_at),
        "moderated_by": moderator,
        "reason": report.moderation_note,
    }


def scoped(
    session: so.Session, actor: Actor, status: str | None, municipality: str | None
) -> sa.Select:
    """The reports the actor may read with this status (None: every status) and, if
    given, of this municipality (by slug): Forbidden for another city of an officer,
    NotFound for an unknown slug, ValidationError for an unknown status."""
    query = _select()
    wanted = municipality_id_of(session, municipality or None)
    if wanted is not None:
        require_read(actor, wanted)
        query = query.where(CitizenReport.municipality_id == wanted)
    confined = readable_municipality(actor)
    if confined is not None:
        query = query.where(CitizenReport.municipality_id == confined)
    status = _status(status)
    if status is not None:
        query = query.where(CitizenReport.status == status)
    return query


def queue(
    session: so.Session,
    actor: Actor,
    *,
    status: str | None = None,
    municipality: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """A page of the reports the actor may read, newest first, with the total."""
    query = scoped(session, actor, status, municipality)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = session.execute(
        query.order_by(CitizenReport.created_at.desc(), CitizenReport.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return Page([_json(*row) for row in rows], total or 0, limit, offset)


def pending_count(session: so.Session, actor: Actor) -> int:
    """How many reports wait for moderation among those the actor may read."""
    query = sa.select(sa.func.count()).where(CitizenReport.status == ReportStatus.PENDING)
    confined = readable_municipality(actor)
    if confined is not None:
        query = query.where(CitizenReport.municipality_id == confined)
    return session.scalar(query) or 0


def _load(session: so.Session, actor: Actor, report_id: int) -> CitizenReport:
    report = session.get(CitizenReport, report_id)
    if report is None:
        raise NotFound("no citizen report %(id)s", field="report_id", id=report_id)
    require_read(actor, report.municipality_id)
    return report


def detail(session: so.Session, actor: Actor, report_id: int) -> dict[str, Any]:
    """One report the actor may read, contact included (staff only)."""
    _load(session, actor, report_id)
    row = session.execute(_select().where(CitizenReport.id == report_id)).one()
    return _json(*row)


def parcel_geometry(session: so.Session, actor: Actor, report_id: int) -> dict | None:
    """The GeoJSON of the parcel a report is about (for the report page's map), or None."""
    report = _load(session, actor, report_id)
    if report.parcel_id is None:
        return None
    shape = session.scalar(
        sa.select(sa.func.ST_AsGeoJSON(Parcel.geom, 7)).where(Parcel.id == report.parcel_id)
    )
    return json.loads(shape) if shape else None


def may_moderate(session: so.Session, actor: Actor, report_id: int) -> bool:
    """Whether the actor may publish or reject this report (pages hide the buttons
    otherwise; publish() and reject() refuse anyway)."""
    return can_write(actor, _load(session, actor, report_id).municipality_id)


def photo_file(
    session: so.Session, actor: Actor, report_id: int, upload_dir: Path
) -> tuple[Path, str]:
    """(path on disk, content type) of the photo of a report the actor may read, pending
    and rejected ones included; NotFound when it has none."""
    report = _load(session, actor, report_id)
    if report.photo_path is None:
        raise NotFound("citizen report %(id)s has no photo", field="report_id", id=report_id)
    path = upload_dir / report.photo_path
    with path.open("rb") as handle:
        kind = sniff(handle.read(16))
    return path, kind.content_type if kind else "application/octet-stream"


def publish(session: so.Session, actor: Actor, report_id: int) -> dict[str, Any]:
    """Make a report public (text and photo; never the contact) for an officer of its
    municipality or an admin. A rejected report may be published after all."""
    return _moderate(session, actor, report_id, ReportStatus.PUBLISHED, None)


def reject(session: so.Session, actor: Actor, report_id: int, reason: str | None) -> dict:
    """Keep a report out of public view, with the reason the resident is shown
    (required). A published report may be withdrawn so."""
    return _moderate(session, actor, report_id, ReportStatus.REJECTED, reason)


def _moderate(
    session: so.Session,
    actor: Actor,
    report_id: int,
    status: ReportStatus,
    reason: str | None,
) -> dict[str, Any]:
    # Rights first: another city's officer learns nothing from the answer to bad input.
    report = _load(session, actor, report_id)
    require_write(actor, report.municipality_id)
    if status == ReportStatus.REJECTED:
        reason = reason.strip() if isinstance(reason, str) else None
        if not reason:
            raise ValidationError(
                "Please say why the report is rejected: the resident is shown it.",
                field="reason",
            )
        if len(reason) > MAX_REASON:
            raise ValidationError(
                "The reason is too long (at most %(n)s characters).", field="reason", n=MAX_REASON
            )
    audit.set_actor(session, actor.user_id, actor.source)
    if status == ReportStatus.PUBLISHED:
        public_reports.publish(session, report_id, actor.user_id)
    else:
        public_reports.reject(session, report_id, actor.user_id, note=reason)
    return detail(session, actor, report_id)
