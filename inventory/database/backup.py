"""Backups a non-specialist can trust: one file holding the database and the uploads.

A backup is a tar file with `database.dump` (pg_dump custom format, a consistent
snapshot), the uploaded files under `uploads/`, and `manifest.json` with the schema
revision, row counts per table and a SHA-256 of every member. Restoring checks every
checksum before touching the database, and only restores into an empty database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from inventory.database.session import make_engine
from inventory.services.errors import ValidationError
from inventory.version import __version__

MANIFEST = "manifest.json"
DUMP = "database.dump"
PREFIX = "inventory-backup-"


class BackupError(ValidationError):
    """A backup cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    manifest: dict


def _pg_tool(name: str) -> str:
    """The newest pg_dump/pg_restore on this machine (it must not be older than the server)."""
    from inventory.database.embedded import EmbeddedDatabaseError, find_bindir

    try:
        bindir, _ = find_bindir()
        candidate = bindir / name
        if candidate.exists():
            return str(candidate)
    except EmbeddedDatabaseError:
        pass
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: sudo apt-get install -y postgresql-client")
    return found


def _libpq_env(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password travels in the environment."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    args = ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432)]
    if parsed.username:
        args += ["-U", parsed.username]
    args += ["-d", parsed.database or "postgres"]
    return args, env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


#: Tables whose rows are a cache, made again on demand: their structure is backed up,
#: their rows are not (they change with every visitor, so no checksum could hold).
CACHE_TABLES = ("tile_cache",)


def table_fingerprints(url: str) -> dict[str, dict[str, object]]:
    """Row count and an order-independent checksum of every table of the public schema
    but the CACHE_TABLES."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    result: dict[str, dict[str, object]] = {}
    try:
        with engine.connect() as conn:
            tables = (
                conn.execute(
                    sa.text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename <> 'spatial_ref_sys' AND NOT tablename = ANY(:cache) "
                        "ORDER BY tablename"
                    ),
                    {"cache": list(CACHE_TABLES)},
                )
                .scalars()
                .all()
            )
            for table in tables:
                # Table names come from the catalogue, quoted; no user input reaches SQL.
                row = conn.execute(
                    sa.text(
                        f"SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' "
                        f"ORDER BY md5(t::text))), '') FROM \"{table}\" t"
                    )
                ).one()
                result[table] = {"rows": int(row[0]), "md5": row[1]}
    finally:
        engine.dispose()
    return result


#: Tables whose rows name a stored file under UPLOAD_DIR (`stored_path`): inspection
#: photos and documents (contract scans, decisions, protocols, review notes).
FILE_TABLES = ("inspection_photo", "document")


def missing_files(url: str, upload_dir: Path) -> list[str]:
    """The stored paths the database names that are not under `upload_dir`: files a
    backup cannot carry (lost or moved by hand), so the operator hears of them."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            paths: list[str] = []
            for table in FILE_TABLES:
                # Constant table names of this module; skipped where not migrated yet.
                if conn.scalar(sa.text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}):
                    paths += conn.scalars(sa.text(f"SELECT stored_path FROM {table}")).all()
    finally:
        engine.dispose()
    return sorted(p for p in paths if not (upload_dir / p).is_file())


def create_backup(
    url: str,
    upload_dir: Path,
    out_dir: Path,
    keep: int | None = None,
    now: dt.datetime | None = None,
) -> BackupInfo:
    """Write a backup file into `out_dir` and return it; keep the newest `keep` backups.

    The file is written under a temporary name and renamed when complete, so a crash
    never leaves something that looks like a good backup.
    """
    now = now or dt.datetime.now(dt.UTC)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{now:%Y%m%dT%H%M%SZ}.tar"
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".partial-") as work:
        work_dir = Path(work)
        dump = work_dir / DUMP
        args, env = _libpq_env(url)
        skip = [f"--exclude-table-data={table}" for table in CACHE_TABLES]
        result = subprocess.run(
            [_pg_tool("pg_dump"), "-Fc", "--no-owner", *skip, "-f", str(dump), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError("pg_dump failed: " + result.stderr.strip())
        members = {DUMP: _sha256(dump)}
        uploads = (
            sorted(p for p in upload_dir.rglob("*") if p.is_file()) if upload_dir.exists() else []
        )
        for path in uploads:
            members["uploads/" + path.relative_to(upload_dir).as_posix()] = _sha256(path)
        from inventory.database.migrate import current_revision

        manifest = {
            "format": 1,
            "created_at": now.isoformat(),
            "app_version": __version__,
            "schema_revision": current_revision(url),
            "tables": table_fingerprints(url),
            "files": members,
            "missing_files": missing_files(url, upload_dir),
        }
        (work_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial = work_dir / (name + ".partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(work_dir / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=DUMP)
            for path in uploads:
                tar.add(path, arcname="uploads/" + path.relative_to(upload_dir).as_posix())
        final = out_dir / name
        os.replace(partial, final)
    if keep:
        for old in sorted(out_dir.glob(f"{PREFIX}*.tar"))[:-keep]:
            old.unlink()
    return BackupInfo(final, manifest)


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for member in members:
        target = Path(member.name)
        if target.is_absolute() or ".." in target.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"refusing a backup member that escapes its folder: {member.name}")
    return members


def verify_backup(path: Path, work_dir: Path) -> dict:
    """Extract `path` into `work_dir` and check every checksum; return the manifest."""
    try:
        with tarfile.open(path) as tar:
            tar.extractall(work_dir, members=_safe_members(tar), filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path.name} is not a readable backup ({exc})") from exc
    manifest_path = work_dir / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{path.name} has no {MANIFEST}: not a backup of this platform")
    manifest = json.loads(manifest_path.read_text())
    for member, expected in manifest["files"].items():
        file = work_dir / member
        if not file.exists():
            raise BackupError(f"{path.name}: {member} is missing")
        if _sha256(file) != expected:
            raise BackupError(f"{path.name}: {member} is damaged (checksum differs)")
    return manifest


def _is_empty(url: str) -> bool:
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return not conn.execute(
                sa.text(
                    "SELECT 1 FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'spatial_ref_sys' LIMIT 1"
                )
            ).first()
    finally:
        engine.dispose()


def restore_backup(path: Path, url: str, upload_dir: Path) -> dict:
    """Restore `path` into the empty database at `url` and its uploads into `upload_dir`.

    Checks every checksum first; refuses a database that already has tables (nothing is
    overwritten); restores in a single transaction, so a failure leaves it empty.
    Returns the manifest.
    """
    if not _is_empty(url):
        raise BackupError(
            "the target database is not empty; restore into a new, empty "
            "database (nothing was changed)"
        )
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        manifest = verify_backup(path, work_dir)
        args, env = _libpq_env(url)
        result = subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(work_dir / DUMP),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(
                "pg_restore failed (the database was left unchanged): "
                + result.stderr.strip()[-2000:]
            )
        source = work_dir / "uploads"
        if source.exists():
            upload_dir.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source, upload_dir, dirs_exist_ok=True)
    return manifest
