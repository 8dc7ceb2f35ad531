"""The resident's private link to a report: an unguessable token, shown once, of which
only a hash is stored.

Whoever holds the link sees that one report's status (received, published, rejected with
the reason) and nothing else: not the contact, not another report. A wrong token and a
report filed without one look the same (None), so the link cannot be probed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import CitizenReport
from inventory.models.report import ReportStatus
from inventory.services.public.model import VISIBLE_PARCEL

#: 32 random bytes: the link is its own password, so it must never be guessed.
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, hex (the token is random, so no salt is
    needed and a lookup by hash stays one index probe)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class FollowedReport:
    """What the follow page shows of the resident's own report."""

    status: ReportStatus
    created_at: dt.datetime
    moderated_at: dt.datetime | None
    reason: str | None
    #: The public parcel card to link to once published (None for a point, or before).
    parcel_id: int | None
    ident_code: str | None


def issue(session: so.Session, report: CitizenReport) -> str:
    """Give a just-filed report its follow token; return the token (stored as a hash)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    report.follow_token_hash = token_hash(token)
    session.flush()
    return token


def followed(session: so.Session, token: str) -> FollowedReport | None:
    """The report this token was issued for, or None for any other token."""
    if not token or len(token) > 100:
        return None
    report = session.scalar(
        sa.select(CitizenReport).where(CitizenReport.follow_token_hash == token_hash(token))
    )
    if report is None:
        return None
    status = ReportStatus(report.status)
    ident_code = None
    if status == ReportStatus.PUBLISHED and report.parcel_id is not None:
        ident_code = session.scalar(
            sa.text(f"SELECT p.ident_code FROM parcel p WHERE p.id = :id AND {VISIBLE_PARCEL}"),
            {"id": report.parcel_id},
        )
    return FollowedReport(
        status=status,
        created_at=report.created_at,
        moderated_at=report.moderated_at if status != ReportStatus.PENDING else None,
        reason=report.moderation_note if status == ReportStatus.REJECTED else None,
        parcel_id=report.parcel_id if ident_code else None,
        ident_code=ident_code,
    )
