"""Scale-out as deploy/SCALING.md describes it, proven on this machine: the public side
served from a real hot standby (streaming replication), and the app behind PgBouncer in
transaction pooling.

Each test makes clusters of its own under var/test-clusters (the shared test cluster is
never reconfigured) and removes them afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.engine import make_url

from inventory import models as m
from inventory.config import PROJECT_ROOT
from inventory.database import embedded
from inventory.database.embedded import Cluster, find_bindir
from inventory.database.scratch import scratch_database
from inventory.database.session import get_public_database, make_engine
from inventory.factory import create_app
from tests import factories as f
from tests.webmap.conftest import tile_path

pytestmark = pytest.mark.slow

ADDRESS, MOVED = "ул. Курманжан Датки, 7", "ул. Ленина, 301"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program as the cluster's owner, with a deadline."""
    return subprocess.run(
        embedded._run_as_owner() + command, capture_output=True, text=True, timeout=120, **kwargs
    )


def _wait(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.3)


@contextlib.contextmanager
def _cluster() -> Iterator[Cluster]:
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


def _fill(url: str) -> int:
    """One leased parcel at ADDRESS, committed; its id."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with so.Session(engine, expire_on_commit=False) as session:
        parcel = f.parcel(session, status=m.ParcelStatus.FREE, address=ADDRESS)
        session.commit()
    engine.dispose()
    return parcel.id


class Standby:
    """A hot standby of `primary` made with pg_basebackup -R, on a port of its own."""

    def __init__(self, primary: Cluster):
        self.primary = primary
        self.folder = primary.var_dir / "standby"
        self.port = _free_port()
        self.bindir, _ = find_bindir(None)

    def start(self) -> None:
        self.folder.mkdir()
        uid, gid = embedded._owner_ids()
        os.chown(self.folder, uid, gid)
        password = self.primary.password_file.read_text().strip()
        made = _as_owner(
            [
                "env",
                f"PGPASSWORD={password}",
                str(self.bindir / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.primary.port),
                "-U",
                embedded.SUPERUSER,
                "-D",
                str(self.folder / "data"),
                "-R",
                "-X",
                "stream",
                "--checkpoint=fast",
            ]
        )
        assert made.returncode == 0, made.stderr
        self._pg_ctl("start")

    def _pg_ctl(self, action: str) -> None:
        options = (
            f"-p {self.port} -k {self.primary.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c hot_standby=on -c max_connections=200"
        )
        command = [str(self.bindir / "pg_ctl"), action, "-D", str(self.folder / "data")]
        if action != "stop":
            command += ["-w", "-t", "60", "-l", str(self.folder / "log"), "-o", options]
        else:
            command += ["-m", "fast", "-w", "-t", "60"]
        done = _as_owner(command)
        assert done.returncode == 0, done.stderr + done.stdout

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            self._pg_ctl("stop")

    def url(self, database: str) -> str:
        return make_url(self.primary.url(database)).set(port=self.port).render_as_string(False)

    def run(self, database: str, sql: str):
        engine = make_engine(self.url(database), poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text(sql)).scalar()
        finally:
            engine.dispose()


def _app(tmp_path: Path, **settings):
    return create_app(
        {
            "ENV": "test",
            "SECRET_KEY": "test-" + uuid.uuid4().hex,
            "VAR_DIR": str(tmp_path / "var"),
            "TILE_CACHE_TILES": 0,
            **settings,
        }
    )


def _card_address(client, parcel_id: int) -> str | None:
    response = client.get(f"/parcels/{parcel_id}.json")
    if response.status_code != 200:
        return None
    return response.get_json().get("address")


def test_the_public_side_reads_from_a_hot_standby(tmp_path):
    with _cluster() as primary:
        with scratch_database(primary.url(), "scale_") as url:
            parcel_id = _fill(url)
            database = make_url(url).database
            standby = Standby(primary)
            standby.start()
            try:
                app = _app(tmp_path, SQLALCHEMY_URL=url, PUBLIC_DATABASE_URL=standby.url(database))
                client = app.test_client()
                assert standby.run(database, "SELECT pg_is_in_recovery()") is True
                _wait(lambda: _card_address(client, parcel_id) == ADDRESS, 30, "standby has it")
                with so.Session(make_engine(url, poolclass=sa.pool.NullPool)) as session:
                    parcel = session.get(m.Parcel, parcel_id)
                    tile = tile_path(parcel)
                for path in (
                    "/",
                    "/free",
                    "/stats",
                    f"/parcels/{parcel_id}",
                    "/search?q=Датки",
                    tile,
                    "/ogc/collections/parcels/items?limit=5",
                    f"/ogc/collections/parcels/items/{parcel_id}",
                    "/opendata",
                ):
                    assert client.get(path).status_code in (200, 204), path

                # Replay paused on the standby: an edit on the primary is not seen by the
                # public side (it reads the standby) until replay goes on.
                standby.run(database, "SELECT pg_wal_replay_pause()")
                owner = make_engine(url, poolclass=sa.pool.NullPool)
                with owner.begin() as conn:
                    conn.execute(
                        sa.text("UPDATE parcel SET address = :a WHERE id = :id"),
                        {"a": MOVED, "id": parcel_id},
                    )
                owner.dispose()
                time.sleep(1)
                assert _card_address(client, parcel_id) == ADDRESS
                standby.run(database, "SELECT pg_wal_replay_resume()")
                _wait(lambda: _card_address(client, parcel_id) == MOVED, 30, "the edit replayed")

                # The standby restarts: the app answers throughout (the public side with
                # 503 while it is down) and reads from it again without a restart.
                standby.stop()
                assert client.get("/health").status_code == 503
                assert client.get(f"/parcels/{parcel_id}.json").status_code == 503
                standby._pg_ctl("start")
                _wait(lambda: client.get("/health").status_code == 200, 30, "back after restart")
                assert _card_address(client, parcel_id) == MOVED
                app.extensions["inventory.db"].engine.dispose()
                get_public_database(app).engine.dispose()
            finally:
                standby.stop()


@contextlib.contextmanager
def _pgbouncer(cluster: Cluster, database: str) -> Iterator[int]:
    """PgBouncer in transaction pooling before `cluster`, for `database`; yields its port."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        pytest.fail("pgbouncer is not installed (./dev test installs the Debian package)")
    folder = cluster.var_dir / "pgbouncer"
    folder.mkdir()
    port = _free_port()
    password = cluster.password_file.read_text().strip()
    (folder / "users.txt").write_text(f'"{embedded.SUPERUSER}" "{password}"\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"{database} = host=127.0.0.1 port={cluster.port} dbname={database}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = scram-sha-256\nauth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 4\nmax_client_conn = 200\n"
        f"logfile = {folder / 'pgbouncer.log'}\npidfile = {folder / 'pgbouncer.pid'}\n"
        "ignore_startup_parameters = extra_float_digits\n"
    )
    uid, gid = embedded._owner_ids()
    for path in (folder, *folder.iterdir()):
        os.chown(path, uid, gid)
    server = subprocess.Popen(
        embedded._run_as_owner() + [binary, str(folder / "pgbouncer.ini")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: embedded.port_in_use(port), 30, "pgbouncer listening")
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def test_the_app_works_behind_pgbouncer_in_transaction_pooling(tmp_path):
    with _cluster() as cluster:
        with scratch_database(cluster.url(), "bouncer_") as url:
            parcel_id = _fill(url)
            database = make_url(url).database
            with _pgbouncer(cluster, database) as port:
                through = make_url(url).set(port=port).render_as_string(False)
                app = _app(
                    tmp_path,
                    SQLALCHEMY_URL=through,
                    PUBLIC_DATABASE_URL=through,
                    PGBOUNCER=True,
                    WTF_CSRF_ENABLED=False,
                )
                client = app.test_client()
                with so.Session(make_engine(url, poolclass=sa.pool.NullPool)) as session:
                    tile = tile_path(session.get(m.Parcel, parcel_id))
                    admin = f.user(session, "admin", username="bouncer-admin")
                    session.commit()
                    f.signed_in(client, admin)
                # psycopg prepares a statement on its sixth run by default: every smoke
                # request runs often enough to reach that, on pooled connections.
                paths = [
                    "/",
                    "/free",
                    f"/parcels/{parcel_id}.json",
                    "/search?q=Датки",
                    tile,
                    "/ogc/collections/parcels/items?limit=5",
                    "/office/",
                    "/office/parcels/",
                    f"/office/parcels/{parcel_id}",
                    "/audit/flags",
                    "/health",
                ]
                for _ in range(8):
                    for path in paths:
                        response = client.get(path)
                        assert response.status_code in (200, 204), (path, response.status_code)
                # public reads stay read-only through the pooler too
                with app.app_context():
                    public = get_public_database(app).engine
                    with public.connect() as conn:
                        assert conn.execute(sa.text("SHOW transaction_read_only")).scalar() == "on"
                app.extensions["inventory.db"].engine.dispose()
                get_public_database(app).engine.dispose()
