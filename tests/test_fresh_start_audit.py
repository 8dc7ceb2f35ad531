"""A fresh start shows a full audit: `inventory demo` ends scanned and with its open-data
files, the audit pages say when the last scan ran, and where no systemd timer runs the
app runs the nightly jobs itself, in one process only."""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from click.testing import CliRunner

from inventory import models as m
from inventory import nightly_jobs
from inventory.cli import main
from inventory.database.session import get_database, make_engine
from inventory.factory import create_app
from inventory.services.anomalies import scan
from tests import factories as f
from tests.conftest import throwaway_database

try:
    import demogen
except ImportError:  # not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
    import demogen


@pytest.mark.slow
def test_the_demo_command_leaves_flags_and_open_data_files(tmp_path, monkeypatch):
    folder = tmp_path / "demo"
    demogen.generate(folder, parcels=400)
    var = tmp_path / "var"
    with throwaway_database() as url:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("INVENTORY_VAR_DIR", str(var))
        result = CliRunner().invoke(main, ["demo", "--folder", str(folder)])
        assert result.exit_code == 0, result.output
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            flags = conn.scalar(sa.text("SELECT count(*) FROM anomaly_flag WHERE status = 'open'"))
            run = conn.execute(sa.text("SELECT as_of, source, rules FROM anomaly_scan_run")).one()
        engine.dispose()
    as_of = json.loads((folder / "manifest.json").read_text())["as_of"]
    assert flags > 0
    assert (run.as_of.isoformat(), run.source, run.rules) == (as_of, "demo", None)
    manifest = json.loads((var / "opendata" / "manifest.json").read_text())
    assert manifest["files"] and all(
        (var / "opendata" / f["name"]).exists() for f in manifest["files"]
    )


@pytest.mark.parametrize(
    ("language", "no_scan", "last"),
    [
        ("en", "No anomaly scan has run yet", "Last anomaly scan"),
        ("ru", "Проверка на аномалии ещё не запускалась", "Последняя проверка на аномалии"),
        ("ky", "Аномалияларды текшерүү азырынча жүргүзүлгөн эмес", "Аномалияларды акыркы текшерүү"),
    ],
)
def test_every_audit_page_says_when_the_last_scan_ran(
    client, db_session, people, osh, language, no_scan, last
):
    f.signed_in(client, people["auditor"])
    pages = (
        f"/audit/flags?lang={language}",
        f"/audit/dashboard?lang={language}",
        f"/audit/flags/report?lang={language}",
    )
    for page in pages:
        assert no_scan in client.get(page).get_data(as_text=True), page
    scan(db_session)
    month = format_date(dt.datetime.now(nightly_jobs.ZONE), "MMMM", locale=language)
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        assert last in html and month.lower() in html.lower() and no_scan not in html, page


def test_a_scoped_recheck_is_not_a_scan_run(db_session, osh):
    scan(db_session, parcel_ids=[1])
    scan(db_session, rules=["arrears"])
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.ScanRun)) == 1
    assert db_session.scalar(sa.select(m.ScanRun.rules)) == ["arrears"]


def test_the_nightly_jobs_run_once_whichever_of_two_app_instances_asks(app, database_url_for_tests):
    """Two instances (two gunicorn workers) wake at the same night: the one that takes
    the advisory lock runs the jobs; the other skips while they run."""
    other = create_app({"ENV": "test", "DATABASE_URL": database_url_for_tests})
    running, skipped = threading.Event(), threading.Event()
    ran: list[str] = []

    def jobs(instance, base_url):
        ran.append(base_url)
        running.set()
        assert skipped.wait(timeout=30), "the other instance never tried"

    first = threading.Thread(
        target=nightly_jobs.run_if_due, args=(app, "http://a/"), kwargs={"jobs": jobs}
    )
    first.start()
    assert running.wait(timeout=30)
    assert nightly_jobs.run_if_due(other, "http://b/", jobs=jobs) is False
    skipped.set()
    first.join(timeout=30)
    assert ran == ["http://a/"]
    get_database(other).engine.dispose()


def test_the_nightly_jobs_wait_for_the_next_night_once_a_scan_ran(app, db_session):
    ran: list[str] = []
    night = dt.datetime(2026, 12, 2, 4, 0, tzinfo=nightly_jobs.ZONE)  # after 03:30
    assert nightly_jobs.run_if_due(app, "x", now=night, jobs=lambda *a: ran.append("1"))
    db_session.add(
        m.ScanRun(started_at=night, finished_at=night, as_of=night.date(), counts={}, rules=None)
    )
    db_session.flush()
    assert not nightly_jobs.run_if_due(app, "x", now=night, jobs=lambda *a: ran.append("2"))
    later = night + dt.timedelta(days=1)
    assert nightly_jobs.run_if_due(app, "x", now=later, jobs=lambda *a: ran.append("3"))
    assert ran == ["1", "3"]


def test_no_thread_starts_when_the_nightly_jobs_are_off(database_url_for_tests):
    before = {t.name for t in threading.enumerate()}
    off = create_app({"ENV": "test", "DATABASE_URL": database_url_for_tests, "NIGHTLY_JOBS": False})
    off.test_client().get("/health")
    assert nightly_jobs.start(off, "http://x/") is None
    assert "inventory-nightly-jobs" not in {t.name for t in threading.enumerate()} - before
    get_database(off).engine.dispose()
