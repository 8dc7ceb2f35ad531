"""Sending e-mail through the SMTP server of the settings.

SMTP_HOST (empty: no e-mail at all), SMTP_PORT, SMTP_USER and SMTP_PASSWORD (empty: no
login), SMTP_FROM (the sender's address), SMTP_STARTTLS (upgrade the connection before
logging in; on for port 587, the submission port). inventory/config.py documents them.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable, Mapping
from email.message import EmailMessage
from typing import Any

#: Seconds to wait for the mail server before giving up on it.
TIMEOUT = 30


class MailNotConfigured(RuntimeError):
    """SMTP_HOST or SMTP_FROM is not set."""


def configured(settings: Mapping[str, Any]) -> bool:
    return bool(settings.get("SMTP_HOST")) and bool(settings.get("SMTP_FROM"))


def message(
    settings: Mapping[str, Any], to: str, subject: str, body: str, language: str
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = settings["SMTP_FROM"]
    mail["To"] = to
    mail["Subject"] = subject
    mail["Content-Language"] = language
    mail.set_content(body)
    return mail


def send(settings: Mapping[str, Any], messages: Iterable[EmailMessage]) -> int:
    """Send the messages over one connection; how many were sent. Raises MailNotConfigured,
    or smtplib/OSError when the server refuses or cannot be reached."""
    if not configured(settings):
        raise MailNotConfigured(
            "set SMTP_HOST and SMTP_FROM (INVENTORY_SMTP_HOST, INVENTORY_SMTP_FROM) to send e-mail"
        )
    sent = 0
    with smtplib.SMTP(settings["SMTP_HOST"], int(settings["SMTP_PORT"]), timeout=TIMEOUT) as smtp:
        if settings.get("SMTP_STARTTLS"):
            smtp.starttls()
        if settings.get("SMTP_USER"):
            smtp.login(settings["SMTP_USER"], settings.get("SMTP_PASSWORD") or "")
        for mail in messages:
            smtp.send_message(mail)
            sent += 1
    return sent
