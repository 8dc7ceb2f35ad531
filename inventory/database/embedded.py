"""The embedded database: a private PostgreSQL + PostGIS cluster under the checkout.

With no DATABASE_URL the platform runs on a cluster it starts itself in `var/pgdata`,
listening on 127.0.0.1 only, with a random password kept in `var/pgpassword`. PostgreSQL
refuses to run as root, so when the caller is root the cluster runs as the `postgres`
system user. Nothing here ever deletes a data folder: every problem is reported with what
to do about it.
"""

from __future__ import annotations

import dataclasses
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

DATABASE_NAME = "inventory"
DEFAULT_PORT = 55432
SUPERUSER = "inventory"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded cluster cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Cluster:
    """Where the embedded cluster lives and how to reach it."""

    var_dir: Path
    port: int
    bindir: Path | None = None
    #: True when nobody chose the port: `up` may then move to a free one.
    port_is_automatic: bool = False

    @property
    def data_dir(self) -> Path:
        return self.var_dir / "pgdata"

    @property
    def socket_dir(self) -> Path:
        return self.var_dir / "pgrun"

    @property
    def log_file(self) -> Path:
        return self.var_dir / "log" / "postgresql.log"

    @property
    def port_file(self) -> Path:
        return self.var_dir / "pgport"

    @property
    def password_file(self) -> Path:
        return self.var_dir / "pgpassword"

    def url(self, database: str = DATABASE_NAME) -> str:
        """The SQLAlchemy URL of a database on this cluster."""
        password = self.password_file.read_text().strip()
        return f"postgresql+psycopg://{SUPERUSER}:{password}@127.0.0.1:{self.port}/{database}"


def find_bindir(configured: str | None = None) -> tuple[Path, str]:
    """Return the PostgreSQL binaries folder and major version that have PostGIS.

    Prefers the newest PostgreSQL for which the PostGIS extension is installed. Raises
    EmbeddedDatabaseError with the exact install command when there is none.
    """
    if configured:
        bindir = Path(configured)
        version = _binary_major_version(bindir)
        if not _has_postgis(version):
            raise EmbeddedDatabaseError(_install_hint(version))
        return bindir, version

    def major(path: Path) -> int:
        name = path.parent.parent.name
        return int(name) if name.isdigit() else 0

    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=major, reverse=True)
    if not candidates:
        found = shutil.which("postgres") or shutil.which("pg_ctl")
        if found:
            bindir = Path(found).resolve().parent
            version = _binary_major_version(bindir)
            if _has_postgis(version):
                return bindir, version
            raise EmbeddedDatabaseError(_install_hint(version))
        raise EmbeddedDatabaseError(_install_hint(None))
    for postgres in candidates:
        version = postgres.parent.parent.name
        if _has_postgis(version):
            return postgres.parent, version
    raise EmbeddedDatabaseError(_install_hint(candidates[0].parent.parent.name))


def _binary_major_version(bindir: Path) -> str:
    out = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    return out.split()[-1].split(".")[0]


def _has_postgis(version: str | None) -> bool:
    if version is None:
        return False
    return any(Path(f"/usr/share/postgresql/{version}/extension").glob("postgis.control"))


def _install_hint(version: str | None) -> str:
    pkg = f"postgresql-{version}-postgis-3" if version else "postgresql postgresql-15-postgis-3"
    return (
        "PostGIS is not installed for the local PostgreSQL. Install it with:\n"
        f"    sudo apt-get install -y {pkg}\n"
        "or set DATABASE_URL to an existing PostGIS 3 server."
    )


def _run_as_owner() -> list[str]:
    """The command prefix that runs PostgreSQL binaries as a non-root user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise EmbeddedDatabaseError(
            "Running as root, but there is no 'postgres' system user to run the cluster "
            "as. Install the postgresql package (it creates it) or run as a normal user."
        ) from exc
    return ["runuser", "-u", "postgres", "--"]


def _owner_ids() -> tuple[int, int]:
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(_run_as_owner() + cmd, capture_output=True, text=True, **kwargs)


def port_in_use(port: int) -> bool:
    """True when something already listens on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def is_running(cluster: Cluster) -> bool:
    """True when this cluster's postmaster is running."""
    if not (cluster.data_dir / "postmaster.pid").exists():
        return False
    bindir, _ = find_bindir(str(cluster.bindir) if cluster.bindir else None)
    result = _run([str(bindir / "pg_ctl"), "status", "-D", str(cluster.data_dir)])
    return result.returncode == 0


def _check_data_dir(cluster: Cluster, version: str) -> None:
    """Refuse a data folder from another PostgreSQL version or one that is damaged."""
    version_file = cluster.data_dir / "PG_VERSION"
    if not version_file.exists():
        raise EmbeddedDatabaseError(
            f"The data folder {cluster.data_dir} exists but is not a PostgreSQL cluster "
            "(no PG_VERSION file): it may be damaged or half-created. Nothing was deleted. "
            "Move it aside (or restore it from a backup) and run `inventory db up` again."
        )
    found = version_file.read_text().strip()
    if found != version:
        raise EmbeddedDatabaseError(
            f"The data folder {cluster.data_dir} was created by PostgreSQL {found}, but "
            f"this machine runs PostgreSQL {version}. Nothing was deleted. Install "
            f"postgresql-{found}-postgis-3 to use it as it is, or back it up with "
            f"PostgreSQL {found}, move the folder aside and restore into a new one."
        )
    for needed in ("global/pg_control", "base"):
        if not (cluster.data_dir / needed).exists():
            raise EmbeddedDatabaseError(
                f"The data folder {cluster.data_dir} is damaged ({needed} is missing). "
                "Nothing was deleted. Restore it from a backup, or move it aside and run "
                "`inventory db up` to create an empty one."
            )


def _initialise(cluster: Cluster, bindir: Path) -> None:
    uid, gid = _owner_ids()
    cluster.var_dir.mkdir(parents=True, exist_ok=True)
    for folder in (cluster.data_dir, cluster.socket_dir, cluster.log_file.parent):
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, uid, gid)
    os.chmod(cluster.data_dir, 0o700)
    if not cluster.password_file.exists():
        cluster.password_file.write_text(secrets.token_urlsafe(24) + "\n")
        os.chmod(cluster.password_file, 0o600)
    # initdb reads the password from a file the cluster owner can read; it is removed
    # right after so the only copy stays readable by the invoking user alone.
    pwfile = cluster.socket_dir / "initdb-password"
    pwfile.write_text(cluster.password_file.read_text())
    os.chown(pwfile, uid, gid)
    os.chmod(pwfile, 0o600)
    try:
        result = _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(cluster.data_dir),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
    finally:
        pwfile.unlink(missing_ok=True)
    if result.returncode != 0:
        raise EmbeddedDatabaseError("initdb failed:\n" + result.stderr.strip())


def up(cluster: Cluster) -> str:
    """Create (first time) and start the cluster, and make sure the database exists.

    Returns a one-line account of what was done. Idempotent: a running cluster is left
    as it is.
    """
    bindir, version = find_bindir(str(cluster.bindir) if cluster.bindir else None)
    created = False
    if cluster.data_dir.exists() and any(cluster.data_dir.iterdir()):
        _check_data_dir(cluster, version)
    else:
        _initialise(cluster, bindir)
        created = True
    if is_running(cluster):
        ensure_database(cluster)
        return f"The embedded PostGIS is already running on 127.0.0.1:{cluster.port}."
    if port_in_use(cluster.port) and cluster.port_is_automatic:
        # Another program (or another checkout's cluster) holds the default port: take
        # the next free one and remember it, so every command of this checkout agrees.
        port = next(p for p in range(cluster.port + 1, cluster.port + 200) if not port_in_use(p))
        cluster.port_file.write_text(f"{port}\n")
        cluster = dataclasses.replace(cluster, port=port)
    if port_in_use(cluster.port):
        raise EmbeddedDatabaseError(
            f"Port {cluster.port} on 127.0.0.1 is taken by another program. Stop it, or "
            f"choose another port with INVENTORY_PG_PORT=<port>."
        )
    cluster.log_file.parent.mkdir(parents=True, exist_ok=True)
    uid, gid = _owner_ids()
    if not cluster.log_file.exists():
        cluster.log_file.touch()
    os.chown(cluster.log_file, uid, gid)
    options = (
        f"-p {cluster.port} -k {cluster.socket_dir} "
        "-c listen_addresses=127.0.0.1 -c max_connections=200 "
        "-c shared_buffers=256MB -c work_mem=32MB -c maintenance_work_mem=512MB "
        "-c fsync=on -c synchronous_commit=on"
    )
    result = _run(
        [
            str(bindir / "pg_ctl"),
            "start",
            "-D",
            str(cluster.data_dir),
            "-w",
            "-t",
            "60",
            "-l",
            str(cluster.log_file),
            "-o",
            options,
        ]
    )
    if result.returncode != 0:
        tail = ""
        if cluster.log_file.exists():
            tail = "\n".join(cluster.log_file.read_text(errors="replace").splitlines()[-15:])
        raise EmbeddedDatabaseError(
            f"PostgreSQL did not start (see {cluster.log_file}):\n{result.stderr.strip()}\n{tail}"
        )
    _wait_until_ready(cluster)
    ensure_database(cluster)
    what = "Created and started" if created else "Started"
    return f"{what} the embedded PostGIS on 127.0.0.1:{cluster.port} ({cluster.data_dir})."


def _wait_until_ready(cluster: Cluster, timeout: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(_libpq(cluster, "postgres"), connect_timeout=3):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _libpq(cluster: Cluster, database: str) -> str:
    password = cluster.password_file.read_text().strip()
    return (
        f"host=127.0.0.1 port={cluster.port} user={SUPERUSER} password={password} dbname={database}"
    )


def ensure_database(cluster: Cluster, name: str = DATABASE_NAME) -> None:
    """Create the application database with PostGIS and pg_trgm if missing."""
    import psycopg

    with psycopg.connect(_libpq(cluster, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(_libpq(cluster, name), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def down(cluster: Cluster) -> str:
    """Stop the cluster if it runs. Data is kept."""
    if not cluster.data_dir.exists() or not is_running(cluster):
        return "The embedded PostGIS is not running."
    bindir, _ = find_bindir(str(cluster.bindir) if cluster.bindir else None)
    result = _run([str(bindir / "pg_ctl"), "stop", "-D", str(cluster.data_dir), "-m", "fast", "-w"])
    if result.returncode != 0:
        raise EmbeddedDatabaseError("pg_ctl stop failed:\n" + result.stderr.strip())
    return f"Stopped the embedded PostGIS (data kept in {cluster.data_dir})."


def status(cluster: Cluster) -> dict[str, object]:
    """Describe the cluster: whether it exists and runs, where, and on which port."""
    exists = (cluster.data_dir / "PG_VERSION").exists()
    return {
        "mode": "embedded",
        "data_dir": str(cluster.data_dir),
        "port": cluster.port,
        "initialised": exists,
        "running": exists and is_running(cluster),
        "log": str(cluster.log_file),
    }
