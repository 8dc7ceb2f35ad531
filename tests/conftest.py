"""Test fixtures: one throwaway PostGIS database per run, each test in a rolled-back
transaction.

The database lives on the server of DATABASE_URL, or on the embedded cluster (started if
needed). It is created, migrated with Alembic and given the reference tables once; every
test then runs inside a transaction that is rolled back, so tests never see each other's
rows. Code under test may commit: its commits become savepoints of that transaction.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import config as config_module
from inventory.database import embedded
from inventory.database.scratch import scratch_database
from inventory.database.session import (
    EXTENSION_KEY,
    database_url,
    embedded_cluster,
    make_engine,
)
from inventory.factory import create_app

# No app a test builds (nor a server a test starts) runs the nightly scan in a thread of
# its own: it would write into the test's transaction. tests/test_fresh_start_audit.py
# drives the nightly jobs itself.
os.environ["INVENTORY_NIGHTLY_JOBS"] = "false"


def _server_url() -> str:
    settings = config_module.load()
    if not settings.get("DATABASE_URL"):
        embedded.up(embedded_cluster(settings))
    return database_url(settings)


def throwaway_database(migrated: bool = True):
    """A new database on the test server (migrated, with reference tables, unless
    `migrated` is False), dropped afterwards whatever happens."""
    return scratch_database(_server_url(), "inventory_test_", migrated=migrated)


@pytest.fixture(scope="session")
def database_url_for_tests() -> Iterator[str]:
    """URL of a fresh, migrated database, dropped at the end of the run."""
    with throwaway_database() as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url_for_tests) -> Iterator[sa.Engine]:
    engine = make_engine(database_url_for_tests)
    yield engine
    engine.dispose()


@pytest.fixture()
def connection(engine) -> Iterator[sa.Connection]:
    """A connection whose outer transaction is rolled back after the test."""
    with engine.connect() as conn:
        transaction = conn.begin()
        yield conn
        if transaction.is_active:
            transaction.rollback()


@pytest.fixture()
def db_session(connection) -> Iterator[so.Session]:
    session = so.Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield session
    session.close()


@pytest.fixture()
def app(database_url_for_tests, connection, tmp_path):
    """The app in test mode, its sessions bound to the test's rolled-back transaction."""
    app = create_app(
        {
            "ENV": "test",
            "TESTING": True,
            "SQLALCHEMY_URL": database_url_for_tests,
            "SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
            "WTF_CSRF_ENABLED": False,
            "VAR_DIR": str(tmp_path / "var"),
        }
    )
    db = app.extensions[EXTENSION_KEY]
    db.sessionmaker = so.sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    db.autocommit_sessionmaker = db.sessionmaker
    yield app
    db.engine.dispose()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


# -- Two cities and their people, shared by the API, office and audit tests -------------


@pytest.fixture()
def osh(db_session):
    from tests import factories as f

    return f.municipality(db_session, "osh")


@pytest.fixture()
def jalalabad(db_session):
    from tests import factories as f

    return f.municipality(db_session, "jalal-abad", centre=f.JALAL_ABAD)


@pytest.fixture()
def people(db_session, osh, jalalabad):
    """Users by name: officer_osh, officer_ja (Jalal-Abad), auditor, admin."""
    from tests import factories as f

    return {
        "officer_osh": f.user(db_session, "officer", osh, username="officer-osh"),
        "officer_ja": f.user(db_session, "officer", jalalabad, username="officer-ja"),
        "auditor": f.user(db_session, "auditor", username="auditor"),
        "admin": f.user(db_session, "admin", username="admin"),
    }


@pytest.fixture()
def headers(db_session, people):
    """Authorization headers per user name, with a freshly issued token each."""
    from inventory.services import auth as auth_service

    result = {}
    for name, person in people.items():
        token, _ = auth_service.issue_token(db_session, person)
        result[name] = {"Authorization": f"Bearer {token}"}
    db_session.flush()
    return result
