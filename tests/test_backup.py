"""Backups: a round trip brings back every row of every table, and bad backups are refused."""

import tarfile

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.database import backup
from inventory.database.session import make_engine
from tests import factories as f
from tests.conftest import throwaway_database

pytestmark = pytest.mark.slow


@pytest.fixture()
def source():
    """A committed database with some of everything, and an uploaded photo."""
    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session, session.begin():
            parcel = f.parcel(session, address="ул. Ленина, 7 «Ак-Буура»")
            contract = f.contract(session, parcel)
            contract.note = "кириллица жана ыр-жоолук"
            session.execute(
                sa.text(
                    "INSERT INTO tile_cache (layer, z, x, y, data, etag, area) VALUES "
                    "('parcels', 16, 1, 1, 'x', 'e', ST_MakeEnvelope(0, 0, 1, 1, 4326))"
                )
            )
        engine.dispose()
        yield url


def test_backup_and_restore_round_trip_every_table(source, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2026" / "11").mkdir(parents=True)
    (uploads / "2026" / "11" / "photo.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    info = backup.create_backup(source, uploads, tmp_path / "backups")
    assert info.manifest["tables"]["parcel"]["rows"] == 1
    restored_uploads = tmp_path / "restored"
    with throwaway_database(migrated=False) as target:
        backup.restore_backup(info.path, target, restored_uploads)
        assert backup.table_fingerprints(target) == backup.table_fingerprints(source)
        # The tile cache comes back empty (its rows are made again on demand).
        assert "tile_cache" not in info.manifest["tables"]
        with make_engine(target, poolclass=sa.pool.NullPool).connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM tile_cache")) == 0
    assert (
        restored_uploads / "2026" / "11" / "photo.jpg"
    ).read_bytes() == b"\xff\xd8 not really a jpeg"


def test_restore_refuses_a_database_that_is_not_empty(source, tmp_path):
    info = backup.create_backup(source, tmp_path / "none", tmp_path / "b")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore_backup(info.path, source, tmp_path / "u")


def test_a_damaged_backup_is_refused_before_anything_is_restored(source, tmp_path):
    info = backup.create_backup(source, tmp_path / "none", tmp_path / "b")
    work = tmp_path / "x"
    with tarfile.open(info.path) as tar:
        tar.extractall(work, filter="data")
    dump = work / backup.DUMP
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(damaged, "w") as tar:
        for name in (backup.MANIFEST, backup.DUMP):
            tar.add(work / name, arcname=name)
    with throwaway_database(migrated=False) as target:
        with pytest.raises(backup.BackupError, match="damaged"):
            backup.restore_backup(damaged, target, tmp_path / "u")
        assert backup.table_fingerprints(target) == {}


def test_keep_removes_the_oldest_backups(source, tmp_path):
    import datetime as dt

    out = tmp_path / "b"
    for day in (1, 2, 3):
        backup.create_backup(
            source, tmp_path / "none", out, keep=2, now=dt.datetime(2026, 11, day, tzinfo=dt.UTC)
        )
    assert sorted(p.name for p in out.glob("*.tar")) == [
        "inventory-backup-20261102T000000Z.tar",
        "inventory-backup-20261103T000000Z.tar",
    ]
