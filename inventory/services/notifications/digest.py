"""A user's daily digest, in their language.

An officer's digest covers their city; an auditor's (only when they opted in) every
city. It tells:
- the flags first seen since the user's previous digest (at most a day back on the first);
- active contracts ending within ANOMALY_ENDING_SOON_DAYS (the warning window);
- citizen reports waiting for moderation (never a resident's contact);
- review assignments due: an officer's pending reviews of open campaigns, when the
  database has review campaigns (checked at run time, so the digest works without them).
A digest with nothing to tell is not sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import force_locale, gettext

from inventory.config import with_defaults
from inventory.models import DigestSent, Role, User
from inventory.services.anomalies.messages import describe
from inventory.services.errors import ValidationError

#: Lines listed per section; the rest is counted.
SHOWN = 20


@dataclass
class Section:
    title: str
    total: int
    lines: list[str] = field(default_factory=list)


@dataclass
class Digest:
    user_id: int
    address: str
    language: str
    subject: str
    sections: list[Section]

    @property
    def items(self) -> int:
        return sum(section.total for section in self.sections)

    def text(self, greeting: str, closing: str) -> str:
        parts = [greeting, ""]
        for section in self.sections:
            parts.append(f"{section.title} ({section.total})")
            parts.extend(f"  - {line}" for line in section.lines)
            if section.total > len(section.lines):
                parts.append(f"  … +{section.total - len(section.lines)}")
            parts.append("")
        parts.append(closing)
        return "\n".join(parts)


def recipients(session: so.Session) -> list[User]:
    """Active officers with an e-mail address, and active auditors who opted in."""
    return list(
        session.scalars(
            sa.select(User)
            .where(
                User.active.is_(True),
                User.email.is_not(None),
                User.email != "",
                sa.or_(
                    User.role == Role.OFFICER,
                    sa.and_(User.role == Role.AUDITOR, User.digest_opt_in.is_(True)),
                ),
            )
            .order_by(User.id)
        )
    )


def _since(session: so.Session, user: User, now: dt.datetime) -> dt.datetime:
    last = session.scalar(
        sa.select(sa.func.max(DigestSent.sent_at)).where(DigestSent.user_id == user.id)
    )
    return last or now - dt.timedelta(days=1)


def _scope(column: str, user: User) -> tuple[str, dict[str, Any]]:
    if user.role == Role.OFFICER:
        return f"{column} = :municipality_id", {"municipality_id": user.municipality_id}
    return "true", {}


def _flags(session, user, since) -> Section:
    where, params = _scope("f.municipality_id", user)
    rows = session.execute(
        sa.text(f"""
        SELECT f.rule, f.evidence, f.message, f.severity, count(*) OVER () AS total
          FROM anomaly_flag f
         WHERE {where} AND f.first_seen_at >= :since AND f.status IN ('open', 'confirmed')
         ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                  f.id
         LIMIT :shown"""),
        {**params, "since": since, "shown": SHOWN},
    ).all()
    return Section(
        gettext("New flags"),
        rows[0].total if rows else 0,
        [describe(r.rule, r.evidence, r.message) for r in rows],
    )


def _ending(session, user, today, days) -> Section:
    where, params = _scope("c.municipality_id", user)
    rows = session.execute(
        sa.text(f"""
        SELECT c.number, l.name, c.end_date, count(*) OVER () AS total
          FROM lease_contract c JOIN lessee l ON l.id = c.lessee_id
         WHERE {where} AND c.status = 'active' AND c.archived_at IS NULL
           AND c.end_date BETWEEN :today AND :until
         ORDER BY c.end_date, c.id
         LIMIT :shown"""),
        {**params, "today": today, "until": today + dt.timedelta(days=days), "shown": SHOWN},
    ).all()
    return Section(
        gettext("Contracts ending within %(days)s days", days=days),
        rows[0].total if rows else 0,
        [
            gettext(
                "%(number)s, %(lessee)s: ends %(day)s",
                number=r.number,
                lessee=r.name,
                day=r.end_date.strftime("%d.%m.%Y"),
            )
            for r in rows
        ],
    )


def _reports(session, user) -> Section:
    where, params = _scope("r.municipality_id", user)
    rows = session.execute(
        sa.text(f"""
        SELECT r.created_at, left(r.text, 80) AS text, p.ident_code, count(*) OVER () AS total
          FROM citizen_report r LEFT JOIN parcel p ON p.id = r.parcel_id
         WHERE {where} AND r.status = 'pending'
         ORDER BY r.created_at, r.id
         LIMIT :shown"""),
        {**params, "shown": SHOWN},
    ).all()
    return Section(
        gettext("Citizen reports waiting for moderation"),
        rows[0].total if rows else 0,
        [
            f"{r.created_at.strftime('%d.%m.%Y')} {r.ident_code or ''} «{r.text}»".replace(
                "  ", " "
            )
            for r in rows
        ],
    )


def _assignments(session, user, today) -> Section | None:
    """Pending reviews assigned to the officer in open campaigns; None where the
    database has no review campaigns."""
    if user.role != Role.OFFICER or session.scalar(
        sa.text("SELECT to_regclass('campaign_review') IS NULL")
    ):
        return None
    rows = session.execute(
        sa.text("""
        SELECT rc.title, c.number, rc.deadline, count(*) OVER () AS total
          FROM campaign_review r
          JOIN review_campaign rc ON rc.id = r.campaign_id
          JOIN lease_contract c ON c.id = r.contract_id
         WHERE r.officer_id = :user_id AND r.outcome = 'pending' AND rc.status = 'open'
         ORDER BY rc.deadline, c.number
         LIMIT :shown"""),
        {"user_id": user.id, "shown": SHOWN},
    ).all()
    return Section(
        gettext("Review assignments due"),
        rows[0].total if rows else 0,
        [
            gettext(
                "%(contract)s in «%(campaign)s», due %(day)s%(late)s",
                contract=r.number,
                campaign=r.title,
                day=r.deadline.strftime("%d.%m.%Y"),
                late=" (" + gettext("overdue") + ")" if r.deadline < today else "",
            )
            for r in rows
        ],
    )


def build_digest(
    session: so.Session,
    user: User,
    settings: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Digest:
    """The user's digest for `today`, in their language (DEFAULT_LANGUAGE when unset).
    Needs an app context (the translations)."""
    settings = with_defaults(settings)
    now = now or dt.datetime.now(dt.UTC)
    today = today or now.date()
    language = user.language or settings["DEFAULT_LANGUAGE"]
    with force_locale(language):
        sections = [
            _flags(session, user, _since(session, user, now)),
            _ending(session, user, today, int(settings["ANOMALY_ENDING_SOON_DAYS"])),
            _reports(session, user),
        ]
        assignments = _assignments(session, user, today)
        if assignments is not None:
            sections.append(assignments)
        place = (
            user.municipality.name(language) if user.municipality else gettext("all municipalities")
        )
        subject = gettext(
            "Municipal property: digest of %(day)s, %(place)s",
            day=today.strftime("%d.%m.%Y"),
            place=place,
        )
    return Digest(user.id, user.email or "", language, subject, [s for s in sections if s.total])


def render(digest: Digest, name: str, link: str | None) -> str:
    """The digest's text, greeting `name`, with a link to the workspace when given."""
    with force_locale(digest.language):
        greeting = gettext("Hello, %(name)s. What changed in the inventory:", name=name)
        closing = gettext("This digest is sent once a day while there is something to tell.") + (
            f"\n{link}" if link else ""
        )
        return digest.text(greeting, closing)


def set_opt_in(session: so.Session, user: User, wanted: bool) -> None:
    """An auditor asks for the daily digest, or stops it; officers always get theirs."""
    if user.role != Role.AUDITOR:
        raise ValidationError("officers get the digest of their city anyway", field="digest")
    user.digest_opt_in = wanted
    session.flush()
