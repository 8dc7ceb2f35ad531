"""The app survives its database going away and coming back, and a killed import leaves
nothing half-written."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid

import pytest
import sqlalchemy as sa

from inventory.config import PROJECT_ROOT
from inventory.database import embedded, migrate
from inventory.database.embedded import Cluster
from inventory.database.session import make_engine
from inventory.factory import create_app

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def own_cluster():
    """A cluster of this test's own (under the checkout, reachable by the postgres user)."""
    folder = PROJECT_ROOT / "var" / "test-clusters" / uuid.uuid4().hex[:8]
    folder.mkdir(parents=True)
    cluster = Cluster(var_dir=folder, port=_free_port())
    embedded.up(cluster)
    try:
        yield cluster
    finally:
        if (cluster.data_dir / "postmaster.pid").exists():
            embedded.down(cluster)
        shutil.rmtree(folder, ignore_errors=True)


def test_pages_answer_503_while_the_database_is_down_and_recover_without_a_restart(
    own_cluster, tmp_path
):
    url = own_cluster.url()
    migrate.upgrade(url)
    app = create_app({"ENV": "test", "SQLALCHEMY_URL": url, "VAR_DIR": str(tmp_path)})
    client = app.test_client()
    assert client.get("/health").status_code == 200
    assert client.get("/stats", headers={"Accept": "text/html"}).status_code == 200

    embedded.down(own_cluster)
    health = client.get("/health")
    assert health.status_code == 503 and health.get_json()["database"] == "unreachable"
    page = client.get("/stats?lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert "database is not reachable" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    api = client.get("/api/v1/parcels")
    assert api.status_code in (401, 503)  # no token: refused before or after the database

    embedded.up(own_cluster)
    deadline = time.monotonic() + 20
    while client.get("/health").status_code != 200:
        assert time.monotonic() < deadline, "the app did not recover by itself"
        time.sleep(0.5)
    assert client.get("/stats", headers={"Accept": "text/html"}).status_code == 200
    app.extensions["inventory.db"].engine.dispose()


def test_an_import_killed_half_way_leaves_nothing(database_url_for_tests, tmp_path):
    """A process killed (SIGKILL) after writing its rows but before committing: PostgreSQL
    throws the transaction away, so not one row of the file is in the database."""
    parcels = tmp_path / "parcels.csv"
    lines = ["municipality,ident_code,address,status,documented_area,wkt"]
    for n in range(2000):
        lon = 72.75 + (n % 50) * 0.001
        lat = 40.50 + (n // 50) * 0.001
        lines.append(
            f"killtown,9-99-99-{n // 1000:04d}-{n % 1000:04d},ул. Теста {n},free,100,"
            f'"POLYGON(({lon} {lat},{lon + 0.0005} {lat},{lon + 0.0005} '
            f'{lat + 0.0005},{lon} {lat + 0.0005},{lon} {lat}))"'
        )
    parcels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import os, sys
        import sqlalchemy as sa, sqlalchemy.orm as so
        from pathlib import Path
        from inventory.database.session import make_engine
        from inventory.services.imports import run_import
        engine = make_engine({database_url_for_tests!r})
        with so.Session(engine) as session:
            session.execute(sa.text(
                "INSERT INTO municipality (slug, name_ky, name_ru, name_en) "
                "VALUES ('killtown', 'K', 'K', 'K')"))
            report = run_import(session, "parcels", Path({str(parcels)!r}))
            assert report.ok, report.problems
            print("written", report.created, flush=True)
            sys.stdin.readline()  # wait here, uncommitted, until killed
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("written 2000"), line
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    engine = make_engine(database_url_for_tests, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        # The server notices the dead client and rolls back; give it a moment.
        deadline = time.monotonic() + 10
        while (
            conn.execute(
                sa.text("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'")
            ).scalar()
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)
        assert (
            conn.execute(
                sa.text("SELECT count(*) FROM municipality WHERE slug = 'killtown'")
            ).scalar()
            == 0
        )
        assert (
            conn.execute(
                sa.text("SELECT count(*) FROM parcel WHERE ident_code LIKE '9-99-99-%'")
            ).scalar()
            == 0
        )
    engine.dispose()


def test_a_connection_lost_after_the_answer_is_made_does_not_turn_it_into_a_500(
    database_url_for_tests, tmp_path
):
    """The database restarting between a view's answer and the end of the request (the
    session's rollback) must not lose the answer: seen under load while stopping it."""
    from flask import jsonify

    from inventory.database.session import get_session

    app = create_app(
        {"ENV": "test", "SQLALCHEMY_URL": database_url_for_tests, "VAR_DIR": str(tmp_path)}
    )
    killer = make_engine(database_url_for_tests, poolclass=sa.pool.NullPool)

    @app.get("/_answer-then-lose-the-connection")
    def answer_then_lose_the_connection():
        pid = get_session().execute(sa.text("SELECT pg_backend_pid()")).scalar()
        with killer.connect() as conn:  # what `pg_ctl stop -m fast` does to each backend
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return jsonify(answer=42)

    client = app.test_client()
    response = client.get("/_answer-then-lose-the-connection")
    assert response.status_code == 200 and response.get_json() == {"answer": 42}
    assert client.get("/health").status_code == 200  # the pool replaced the connection
    killer.dispose()
    app.extensions["inventory.db"].engine.dispose()
