"""A scratch database at an older revision, for the tests of a migration's data change:
rows are written as that revision stores them, then the migration is run over them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from inventory.database import migrate
from inventory.database.scratch import scratch_database
from inventory.database.session import make_engine


@contextmanager
def database_at(database_url: str, revision: str) -> Iterator[tuple[str, sa.Engine]]:
    """(url, engine) of a scratch database migrated up to `revision`, dropped after."""
    with scratch_database(database_url, f"inventory_{revision}_", migrated=False) as url:
        migrate.upgrade(url, revision)
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        try:
            yield url, engine
        finally:
            engine.dispose()


def add_osh(conn: sa.Connection) -> int:
    """The municipality of Osh, as every revision stores it; its id."""
    return conn.execute(
        sa.text(
            "INSERT INTO municipality (slug, name_ky, name_ru, name_en) "
            "VALUES ('osh', 'Ош', 'Ош', 'Osh') RETURNING id"
        )
    ).scalar_one()
