"""The nightly jobs send the day's digests after the scan, and only when a mail server
is set."""

from __future__ import annotations

from inventory import nightly_jobs


def test_the_nightly_jobs_send_the_digests_only_when_a_mail_server_is_set(app, monkeypatch):
    order = []
    monkeypatch.setattr(nightly_jobs.anomalies, "scan", lambda *a, **k: order.append("scan"))
    monkeypatch.setattr(nightly_jobs, "write_snapshot", lambda *a, **k: order.append("files"))
    monkeypatch.setattr(
        nightly_jobs, "send_digests", lambda session, settings, base_url: order.append(base_url)
    )
    nightly_jobs.nightly(app, "https://inventory.osh.example/")
    assert order == ["scan", "files"]
    order.clear()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_FROM="inventory@osh.example")
    nightly_jobs.nightly(app, "https://inventory.osh.example/")
    assert order == ["scan", "files", "https://inventory.osh.example/"]
