"""The daily digest arrives by real SMTP (a local aiosmtpd server): each officer gets what
is new in their city, in their language; an auditor only after opting in; nobody gets
the same day's digest twice, and a resident's contact is never in it."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import threading

import pytest

from inventory import models as m
from inventory.services.notifications.sending import send_digests
from tests import factories as f

TODAY = dt.date(2026, 12, 3)


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


@pytest.fixture()
def smtp():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    yield (
        inbox,
        {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "SMTP_FROM": "inventory@osh.example",
            "SMTP_STARTTLS": False,
        },
    )
    controller.stop()


@pytest.fixture()
def city(db_session, osh, jalalabad):
    officer = f.user(
        db_session,
        "officer",
        osh,
        username="aida",
        full_name="Аида Осмонова",
        email="aida@osh.example",
        language="ru",
    )
    f.user(db_session, "officer", jalalabad, username="bek", email="bek@ja.example", language="ky")
    keen = f.user(
        db_session,
        "auditor",
        username="keen",
        email="keen@audit.example",
        language="en",
        digest_opt_in=True,
    )
    f.user(db_session, "auditor", username="quiet", email="quiet@audit.example")
    ending = f.contract(
        db_session,
        f.parcel(db_session, osh),
        number="ОШ-77",
        end_date=TODAY + dt.timedelta(days=30),
    )
    f.contract(db_session, f.parcel(db_session, osh), end_date=TODAY + dt.timedelta(days=400))
    db_session.add(
        m.CitizenReport(
            municipality_id=osh.id,
            parcel_id=ending.objects[0].parcel_id,
            text="Автомойка на газоне",
            contact="+996 555 123 456",
        )
    )
    db_session.add(
        m.AnomalyFlag(
            municipality_id=osh.id,
            rule="misuse",
            severity=m.Severity.CRITICAL,
            fingerprint="test-misuse",
            message="Greening parcel used as a car wash",
            evidence={},
            evidence_hash="x",
            contract_id=ending.id,
        )
    )
    db_session.flush()
    return officer, keen


def test_each_officer_and_an_opted_in_auditor_get_their_digest_over_smtp(
    app, db_session, smtp, city
):
    inbox, settings = smtp
    with app.app_context():
        run = send_digests(
            db_session, settings, base_url="https://inventory.osh.example/", today=TODAY
        )
    assert sorted(run.sent) == ["aida@osh.example", "keen@audit.example"]
    (officer_mail,) = inbox.to("aida@osh.example")
    assert officer_mail["From"] == "inventory@osh.example"
    assert "03.12.2026" in officer_mail["Subject"] and "Сводка" in officer_mail["Subject"]
    body = officer_mail.get_content()
    assert "Аида Осмонова" in body and "https://inventory.osh.example/office" in body
    assert "Greening parcel used as a car wash" in body
    assert "ОШ-77" in body and "02.01.2027" in body
    assert "Автомойка на газоне" in body and "555" not in body
    (auditor_mail,) = inbox.to("keen@audit.example")
    assert "digest" in auditor_mail["Subject"] and "all municipalities" in auditor_mail["Subject"]
    assert not inbox.to("quiet@audit.example") and not inbox.to("bek@ja.example")
    assert db_session.query(m.DigestSent).count() == 2


def test_nobody_gets_the_same_days_digest_twice(app, db_session, smtp, city):
    inbox, settings = smtp
    with app.app_context():
        send_digests(db_session, settings, today=TODAY)
        again = send_digests(db_session, settings, today=TODAY)
    assert again.sent == [] and len(inbox.messages) == 2


def test_an_unreachable_server_fails_the_digest_without_logging_it_sent(app, db_session, city):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": closed,
        "SMTP_FROM": "x@y.example",
        "SMTP_STARTTLS": False,
    }
    with app.app_context():
        run = send_digests(db_session, settings, today=TODAY)
    assert run.sent == [] and len(run.failed) == 2
    assert db_session.query(m.DigestSent).count() == 0


def test_an_officers_digest_lists_the_review_assignments_due(app, db_session, smtp, city):
    inbox, settings = smtp
    officer, _ = city
    contract = f.contract(db_session, f.parcel(db_session, officer.municipality), number="ОШ-88")
    campaign = m.ReviewCampaign(
        municipality_id=officer.municipality_id,
        title="Пересмотр 2026",
        opened_on=dt.date(2026, 11, 1),
        deadline=dt.date(2026, 12, 1),
        selection={},
    )
    campaign.reviews.append(
        m.CampaignReview(contract_id=contract.id, officer_id=officer.id, rent_before=1000)
    )
    db_session.add(campaign)
    db_session.flush()
    with app.app_context():
        send_digests(db_session, settings, today=TODAY)
    body = inbox.to("aida@osh.example")[0].get_content()
    assert "ОШ-88" in body and "Пересмотр 2026" in body and "01.12.2026" in body
