"""Citizen reports of suspected misuse: filed by residents, public only once an officer
publishes them.

Promises kept here, whatever the caller:
- a report is stored as pending; only `publish()` makes it public, `reject()` never does;
- the reporter's contact is stored for officers and never returned by a public function;
- a photo is accepted only when its first bytes say JPEG, PNG or WebP and it is at most
  MAX_PHOTO_BYTES (inventory.services.photos.check_image); it is saved under a random
  name, never the client's file name;
- one client (a salted hash of its address, never the address) files at most RATE_LIMIT
  reports per RATE_WINDOW, also when its requests come side by side (counted one at a
  time: inventory.services.rate_limits).

Error messages are message ids (marked with N_) that the web layer translates.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import CitizenReport
from inventory.models.report import ReportStatus
from inventory.services.errors import DomainError, NotFound, ValidationError
from inventory.services.photos import ImageRules, check_image, sniff
from inventory.services.privacy import N_
from inventory.services.public.model import VISIBLE_PARCEL
from inventory.services.rate_limits import serialize

MAX_TEXT = 5000
MAX_CONTACT = 200
#: Smaller than an inspection photo's limit: see inventory.services.photos.ImageRules.
MAX_PHOTO_BYTES = 5 * 1024 * 1024
RATE_LIMIT = 5
RATE_WINDOW = dt.timedelta(hours=1)
#: Photos live in UPLOAD_DIR/<PHOTO_FOLDER>/<random>.<ext>; the path stored is relative.
PHOTO_FOLDER = "reports"

#: Client hashes of reports are their own (inventory.services.privacy.client_hash).
CLIENT_PURPOSE = "citizen-report"

REPORT_PHOTO = ImageRules(
    max_bytes=MAX_PHOTO_BYTES,
    field="photo",
    too_large=N_("The photo is larger than 5 MB."),
    not_an_image=N_("The photo must be a JPEG, PNG or WebP image."),
)


class RateLimited(DomainError):
    """This client filed too many reports lately."""

    status = 429


@dataclass(frozen=True)
class Place:
    """Where a report is about: a parcel, or a point (longitude, latitude in degrees)."""

    parcel_id: int | None = None
    lon: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class PublicReport:
    """A published report as the public sees it: no contact, no client hash."""

    id: int
    text: str
    created_at: dt.datetime
    has_photo: bool


def photo_kind(data: bytes) -> str | None:
    """The file extension the bytes' signature says (jpg, png, webp), or None."""
    kind = sniff(data)
    return kind.extension if kind else None


def submit_report(
    session: so.Session,
    *,
    text: str,
    place: Place,
    client: str,
    upload_dir: str | Path,
    contact: str | None = None,
    photo: bytes | None = None,
) -> CitizenReport:
    """File a pending report about `place` for the client whose hash is `client`.

    Raises RateLimited when the client filed RATE_LIMIT reports within RATE_WINDOW,
    ValidationError for an empty or too long text or contact, a bad photo, an unknown
    parcel or a point outside every municipality. Nothing is written before every check
    passed.
    """
    # Counted one request at a time per client (until the caller commits): side by side,
    # several requests would each count the same reports and all pass.
    serialize(session, "citizen-report", client)
    recent = session.scalar(
        sa.text(
            "SELECT count(*) FROM citizen_report "
            "WHERE client_hash = :client AND created_at > now() - :window"
        ),
        {"client": client, "window": RATE_WINDOW},
    )
    if recent >= RATE_LIMIT:
        raise RateLimited(
            N_("You have sent several reports in the last hour. Please try again later.")
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(N_("Please describe what you saw."), field="text")
    if len(text) > MAX_TEXT:
        raise ValidationError(N_("The description is too long."), field="text")
    contact = (contact or "").strip() or None
    if contact and len(contact) > MAX_CONTACT:
        raise ValidationError(N_("The contact is too long."), field="contact")
    extension = check_image(photo, REPORT_PHOTO).extension if photo else None
    municipality_id, location = _locate(session, place)

    report = CitizenReport(
        municipality_id=municipality_id,
        parcel_id=place.parcel_id,
        location=location,
        text=text,
        contact=contact,
        client_hash=client,
        status=ReportStatus.PENDING,
    )
    if photo:
        report.photo_path = _save_photo(Path(upload_dir), photo, extension)
    session.add(report)
    try:
        session.flush()
    except Exception:
        if report.photo_path:  # no orphan file for a report that was never stored
            (Path(upload_dir) / report.photo_path).unlink(missing_ok=True)
        raise
    return report


def _locate(session: so.Session, place: Place) -> tuple[int, str | None]:
    """The municipality of the place, and the point as EWKT (None for a parcel)."""
    if place.parcel_id is not None:
        municipality_id = session.scalar(
            sa.text(
                f"SELECT p.municipality_id FROM parcel p WHERE p.id = :id AND {VISIBLE_PARCEL}"
            ),
            {"id": place.parcel_id},
        )
        if municipality_id is None:
            raise ValidationError(N_("There is no such parcel."), field="parcel")
        return municipality_id, None
    if (
        place.lon is None
        or place.lat is None
        or not (-180 <= place.lon <= 180 and -90 <= place.lat <= 90)
    ):
        raise ValidationError(N_("Choose the place on the map."), field="place")
    lon, lat = Decimal(str(place.lon)), Decimal(str(place.lat))
    municipality_id = session.scalar(
        sa.text(
            "SELECT m.id FROM municipality m "
            "WHERE ST_Intersects(m.boundary, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)) "
            "ORDER BY m.id LIMIT 1"
        ),
        {"lon": float(lon), "lat": float(lat)},
    )
    if municipality_id is None:
        raise ValidationError(
            N_("This place is outside the municipalities on the map."), field="place"
        )
    return municipality_id, f"SRID=4326;POINT({lon} {lat})"


def _save_photo(upload_dir: Path, data: bytes, extension: str) -> str:
    folder = upload_dir / PHOTO_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    # "xb": never overwrite, even in the astronomically unlikely case of a repeated name.
    with (folder / name).open("xb") as handle:
        handle.write(data)
    return f"{PHOTO_FOLDER}/{name}"


def public_reports(session: so.Session, parcel_id: int) -> list[PublicReport]:
    """The published reports about a parcel, newest first; never the contact."""
    rows = session.execute(
        sa.text("""
        SELECT r.id, r.text, r.created_at, r.photo_path IS NOT NULL AS has_photo
        FROM citizen_report r
        WHERE r.parcel_id = :id AND r.status = 'published'
        ORDER BY r.created_at DESC, r.id DESC
    """),
        {"id": parcel_id},
    )
    return [
        PublicReport(id=row.id, text=row.text, created_at=row.created_at, has_photo=row.has_photo)
        for row in rows
    ]


def published_photo(session: so.Session, report_id: int) -> str | None:
    """The stored photo path (relative to UPLOAD_DIR) of a published report, else None."""
    return session.scalar(
        sa.text("SELECT photo_path FROM citizen_report WHERE id = :id AND status = 'published'"),
        {"id": report_id},
    )


def publish(session: so.Session, report_id: int, user_id: int | None) -> CitizenReport:
    """Make a report public (its text and photo; never its contact). Raises NotFound.

    Checks no rights: officers reach it through inventory.services.reports.moderation,
    which does."""
    return _moderate(session, report_id, user_id, ReportStatus.PUBLISHED, None)


def reject(
    session: so.Session, report_id: int, user_id: int | None, note: str | None = None
) -> CitizenReport:
    """Keep a report out of public view, with the reason the resident is shown (the
    database refuses a rejection without one). Raises NotFound. Checks no rights, like
    publish()."""
    return _moderate(session, report_id, user_id, ReportStatus.REJECTED, note)


def _moderate(
    session: so.Session, report_id: int, user_id: int | None, status: ReportStatus, note: str | None
) -> CitizenReport:
    report = session.get(CitizenReport, report_id)
    if report is None:
        raise NotFound("no citizen report %(id)s", id=report_id)
    report.status = status
    report.moderated_by_id = user_id
    report.moderated_at = session.scalar(sa.select(sa.func.now()))
    report.moderation_note = note
    session.flush()
    return report
