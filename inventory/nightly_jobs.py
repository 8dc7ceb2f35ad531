"""The app's own nightly jobs: the anomaly scan, the open-data files, then the e-mail
digests (when an SMTP server is set).

On a server the systemd timers of deploy/ run `inventory scan` and `inventory opendata`;
where none runs (`./dev start`, a container) the app does it itself, unless the setting
NIGHTLY_JOBS is off. Each process of the app (every gunicorn worker) starts one
background thread at its first request (a command such as `inventory scan` serves no
request and starts none). Every night at NIGHTLY_JOBS_AT, Bishkek time, each thread
tries a PostgreSQL advisory lock: whichever gets it first runs the jobs, holding the
lock until they end, and the others skip. A thread runs them only when no full scan has
finished since the night's time (anomaly_scan_run), so a worker that started late or
restarted does not run them again; one started after a missed night catches up at once.

(inventory.services.schedule is the payment schedule of a contract, not this.) This
module is the app's glue, like the factory that starts it: the services know nothing of
threads, Flask or where sessions come from.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask, request

from inventory.database import session_scope
from inventory.database.session import get_database
from inventory.services import anomalies, audit
from inventory.services.anomalies import runs
from inventory.services.notifications import mail
from inventory.services.notifications.sending import send_digests
from inventory.services.opendata.snapshot import write_snapshot

log = logging.getLogger(__name__)

#: The advisory lock the processes of the app take to run the nightly jobs ("nigh").
LOCK_KEY = 0x6E696768

#: The zone NIGHTLY_JOBS_AT is read in: the whole country keeps Bishkek time.
ZONE = ZoneInfo("Asia/Bishkek")

#: Where the app keeps its thread (one per process).
_EXTENSION = "inventory.nightly_jobs"

Jobs = Callable[[Flask, str], None]


def last_slot(at: str, now: dt.datetime) -> dt.datetime:
    """The latest moment at or before `now` when the nightly jobs were due (`at` is
    HH:MM, Bishkek time)."""
    hour, minute = (int(part) for part in at.split(":"))
    local = now.astimezone(ZONE)
    slot = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return slot if slot <= local else slot - dt.timedelta(days=1)


def nightly(app: Flask, base_url: str) -> None:
    """The jobs themselves, each in a transaction of its own: the full anomaly scan with
    the app's settings, then the open-data files (links inside them to `base_url`)."""
    with app.app_context(), session_scope(app) as session:
        audit.set_actor(session, None, "schedule")
        anomalies.scan(session, settings=app.config)
    with app.app_context(), session_scope(app) as session:
        write_snapshot(
            session,
            Path(app.config["VAR_DIR"]) / "opendata",
            prefix=app.config["OCDS_OCID_PREFIX"],
            licence=app.config["OPENDATA_LICENCE"],
            base_url=base_url.rstrip("/"),
        )
    # After the scan, so the digests tell the night's new flags.
    if mail.configured(app.config):
        with app.app_context(), session_scope(app) as session:
            send_digests(session, app.config, base_url=base_url)


def run_if_due(
    app: Flask, base_url: str, now: dt.datetime | None = None, jobs: Jobs = nightly
) -> bool:
    """Run `jobs` if they are due and no other process of the app is running them.

    True when this call ran them. The lock is a session-level advisory lock on a
    connection of its own, let go when the jobs end, however they end.
    """
    now = now or dt.datetime.now(dt.UTC)
    with get_database(app).engine.connect() as connection:
        if not connection.scalar(sa.select(sa.func.pg_try_advisory_lock(LOCK_KEY))):
            return False
        try:
            connection.commit()
            with app.app_context(), session_scope(app) as session:
                last = runs.last_finished(session)
            if last is not None and last >= last_slot(app.config["NIGHTLY_JOBS_AT"], now):
                return False
            jobs(app, base_url)
            return True
        finally:
            connection.execute(sa.select(sa.func.pg_advisory_unlock(LOCK_KEY)))
            connection.commit()


def _seconds_to_next(at: str, now: dt.datetime) -> float:
    following = last_slot(at, now) + dt.timedelta(days=1)
    return max((following - now).total_seconds(), 1.0)


def _loop(app: Flask, base_url: str, stop: threading.Event, jobs: Jobs) -> None:
    while not stop.is_set():
        try:
            run_if_due(app, base_url, jobs=jobs)
        except Exception:  # a failed night must not end the thread: try the next one
            log.exception("the nightly jobs failed; they are tried again the next night")
        stop.wait(_seconds_to_next(app.config["NIGHTLY_JOBS_AT"], dt.datetime.now(dt.UTC)))


def _off(app: Flask) -> bool:
    """No nightly thread when NIGHTLY_JOBS is off, nor in an app under test (ENV=test):
    a test's app shares the test's rolled-back transaction, which a background scan
    must not write into."""
    return not app.config.get("NIGHTLY_JOBS") or app.testing or app.config.get("ENV") == "test"


def start(app: Flask, base_url: str, jobs: Jobs = nightly) -> threading.Thread | None:
    """Start this process's thread of nightly jobs, once; None when NIGHTLY_JOBS is off
    or the app is under test. `app.extensions` keeps the thread and its stop event."""
    if _off(app):
        return None
    if _EXTENSION in app.extensions:
        return app.extensions[_EXTENSION][0]
    stop = threading.Event()
    thread = threading.Thread(
        target=_loop, args=(app, base_url, stop, jobs), name="inventory-nightly-jobs", daemon=True
    )
    app.extensions[_EXTENSION] = (thread, stop)
    thread.start()
    return thread


def init_app(app: Flask) -> None:
    """Start the nightly jobs at the app's first request (after gunicorn forked its
    workers: a thread does not survive a fork), with the address residents reach it by
    for the links inside the open-data files. Nothing at all when NIGHTLY_JOBS is off or
    the app is under test."""
    if _off(app):
        return
    lock = threading.Lock()

    @app.before_request
    def _start_nightly_jobs() -> None:
        if _EXTENSION not in app.extensions:
            with lock:
                start(app, request.host_url)
