"""Throwaway databases: made on a server, used, and dropped whatever happens.

For the test suite (one per run, and some tests of their own) and for the benchmarks
that import into an empty inventory.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.engine import make_url

from inventory.database import migrate
from inventory.database.session import make_engine


@contextmanager
def scratch_database(server_url: str, prefix: str, *, migrated: bool = True) -> Iterator[str]:
    """A new database `<prefix><random>` on the server of `server_url` (any database
    URL of it): migrated to the head revision and given the reference tables like a new
    installation, unless `migrated` is False. Yields its URL; drops it afterwards
    (forcing out connections left open)."""
    from inventory.services import reference

    base = make_url(server_url)
    name = f"{prefix}{uuid.uuid4().hex[:10]}"
    admin = make_engine(
        base.set(database="postgres").render_as_string(hide_password=False),
        poolclass=sa.pool.NullPool,
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        if migrated:
            migrate.upgrade(url)
            engine = make_engine(url, poolclass=sa.pool.NullPool)
            with so.Session(engine) as session, session.begin():
                reference.ensure_reference_data(session)
            engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
