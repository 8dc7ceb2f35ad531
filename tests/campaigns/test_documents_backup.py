"""A backup carries the documents: their rows with the database, their files with the
uploads, and a restore brings both back byte for byte."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import models as m
from inventory.database import backup
from inventory.database.session import make_engine
from inventory.services import documents
from inventory.services.permissions import Actor
from tests import factories as f
from tests.campaigns.conftest import PDF
from tests.conftest import throwaway_database

pytestmark = pytest.mark.slow


def test_backup_and_restore_keep_documents(tmp_path):
    uploads = tmp_path / "uploads"
    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session, session.begin():
            contract = f.contract(session)
            admin = f.user(session, "admin", username="admin")
            stored = documents.add_document(
                session,
                Actor.of(admin),
                {"owner_kind": "contract", "owner_id": contract.id, "kind": "contract_scan"},
                PDF,
                "договор.pdf",
                uploads,
            ).stored_path
        engine.dispose()
        info = backup.create_backup(url, uploads, tmp_path / "backups")
        assert f"uploads/{stored}" in info.manifest["files"]
        assert info.manifest["tables"]["document"]["rows"] == 1
        assert info.manifest["missing_files"] == []
        (uploads / stored).unlink()  # a file lost by hand is named by the next backup
        lost = backup.create_backup(url, uploads, tmp_path / "more")
        assert lost.manifest["missing_files"] == [stored]
    restored = tmp_path / "restored"
    with throwaway_database(migrated=False) as target:
        backup.restore_backup(info.path, target, restored)
        engine = make_engine(target, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session:
            document = session.scalars(sa.select(m.Document)).one()
            assert (document.stored_path, document.original_name) == (stored, "договор.pdf")
            data = (restored / document.stored_path).read_bytes()
            assert hashlib.sha256(data).hexdigest() == document.sha256
        engine.dispose()
