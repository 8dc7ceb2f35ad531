"""Send the day's digests: every recipient once a day, the ones with something to tell.

Each digest sent is logged in `digest_sent` (user, day), so a second run the same day
(the nightly jobs and a manual `inventory digest`) sends nobody anything twice, and the
next digest tells what is new since this one. The caller commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.config import with_defaults
from inventory.models import DigestSent
from inventory.services.notifications import mail
from inventory.services.notifications.digest import build_digest, recipients, render

log = logging.getLogger(__name__)


@dataclass
class DigestRun:
    sent: list[str] = field(default_factory=list)
    #: Recipients with nothing to tell, or already sent today.
    skipped: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"sent": len(self.sent), "skipped": self.skipped, "failed": len(self.failed)}


def send_digests(
    session: so.Session,
    settings: Mapping[str, Any],
    base_url: str | None = None,
    today: dt.date | None = None,
    dry_run: bool = False,
    echo=None,
) -> DigestRun:
    """Build and send each recipient's digest of `today` over SMTP (one connection per
    message, so one refused address stops no other). `dry_run`: pass each text to
    `echo` instead, send and log nothing."""
    settings = with_defaults(settings)
    today = today or dt.date.today()
    run = DigestRun()
    link = f"{base_url.rstrip('/')}/office" if base_url else None
    for user in recipients(session):
        done = session.scalar(
            sa.select(DigestSent.id).where(DigestSent.user_id == user.id, DigestSent.day == today)
        )
        digest = build_digest(session, user, settings, today=today)
        if done or not digest.items:
            run.skipped += 1
            continue
        body = render(digest, user.full_name or user.username, link)
        if dry_run:
            if echo:
                echo(f"To: {digest.address}\nSubject: {digest.subject}\n\n{body}\n")
            run.sent.append(digest.address)
            continue
        try:
            mail.send(
                settings,
                [mail.message(settings, digest.address, digest.subject, body, digest.language)],
            )
        except (OSError, mail.smtplib.SMTPException) as exc:
            log.warning("the digest to %s was not sent: %s", digest.address, exc)
            run.failed.append(digest.address)
            continue
        session.add(
            DigestSent(user_id=user.id, day=today, address=digest.address, items=digest.items)
        )
        session.flush()
        run.sent.append(digest.address)
    return run
