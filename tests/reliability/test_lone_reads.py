"""Lone public reads (inventory.database.session.lone_read): a tile is read on a pooled
connection that is not pinged first, and one the database dropped since its last use
costs a retry, not an error.

The database is a real one of its own with a committed leased parcel: the app's pools
must hold real connections for them to be terminated, as a database restart does.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import mapbox_vector_tile
import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import models as m
from inventory.database.session import get_database, get_public_database, make_engine
from inventory.factory import create_app
from tests import factories as f
from tests.conftest import throwaway_database
from tests.webmap.conftest import tile_path

pytestmark = pytest.mark.slow

ADDRESS = "ул. Ленина, 212"


@pytest.fixture(scope="module")
def database() -> Iterator[dict]:
    """A throwaway database with one leased parcel, committed; its URL and the parcel."""
    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine, expire_on_commit=False) as session:
            company = f.lessee(session, name="ОсОО «Ала-Тоо Курулуш»", inn="01234567890123")
            parcel = f.parcel(session, status=m.ParcelStatus.LEASED, address=ADDRESS)
            f.contract(session, parcel, lessee=company)
            session.commit()
        engine.dispose()
        yield {"url": url, "parcel": parcel}


def _app(tmp_path, url: str, **settings):
    return create_app(
        {
            "ENV": "test",
            "TESTING": True,
            "SQLALCHEMY_URL": url,
            "SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
            "VAR_DIR": str(tmp_path / "var"),
            **settings,
        }
    )


def _databases(app):
    return [d for d in (get_database(app), get_public_database(app)) if d is not None]


def _dispose(app) -> None:
    for database in _databases(app):
        database.dispose()


def _terminate_every_other_backend(url: str) -> None:
    """What a database restart does to the app's pooled connections: each backend of
    this database but the caller's is terminated (as the superuser), and gone when this
    returns."""
    killer = make_engine(url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with killer.connect() as conn:
        killed = conn.execute(sa.text(f"SELECT pg_terminate_backend(pid) {others}")).scalars()
        assert any(killed), "the app held no pooled connection to terminate"
        deadline = time.monotonic() + 10
        while conn.execute(sa.text(f"SELECT count(*) {others}")).scalar():
            assert time.monotonic() < deadline, "terminated backends still there after 10 s"
            time.sleep(0.05)
    killer.dispose()


def _lessees(response) -> set[str]:
    assert response.status_code == 200, response.status_code
    features = mapbox_vector_tile.decode(response.data)["parcels"]["features"]
    return {feature["properties"].get("lessee") for feature in features}


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param({}, id="kept tile"),
        pytest.param({"TILE_CACHE_TILES": 0}, id="fresh tile"),
        pytest.param({"PUBLIC_DATABASE_URL": "same"}, id="fresh tile on the public database"),
    ],
)
@pytest.mark.parametrize("z", [16, 14])
def test_a_tile_answers_after_its_pooled_connections_were_terminated(
    database, tmp_path, settings, z
):
    if settings.get("PUBLIC_DATABASE_URL"):
        settings = {"PUBLIC_DATABASE_URL": database["url"]}
    app = _app(tmp_path, database["url"], **settings)
    client = app.test_client()
    path = tile_path(database["parcel"], z)
    try:
        first = client.get(path)
        assert _lessees(first) == {"ОсОО «Ала-Тоо Курулуш»"}
        _terminate_every_other_backend(database["url"])
        again = client.get(path)
        assert _lessees(again) == _lessees(first)
        assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
        assert client.get(path).data == first.data  # and the pool is whole again
    finally:
        _dispose(app)


@pytest.mark.parametrize(
    "settings",
    [{}, {"TILE_CACHE_TILES": 0}, {"PUBLIC_DATABASE_URL": "same"}],
    ids=["kept tile", "fresh tile", "fresh tile on the public database"],
)
def test_a_tile_request_does_not_ping_its_connection(database, tmp_path, monkeypatch, settings):
    """No `SELECT 1` before a tile's statement; the office's reads still ping theirs."""
    if settings.get("PUBLIC_DATABASE_URL"):
        settings = {"PUBLIC_DATABASE_URL": database["url"]}
    app = _app(tmp_path, database["url"], **settings)
    pings = []
    for db in _databases(app):
        for engine in {db.engine, db.read_engine}:
            dialect = engine.dialect
            monkeypatch.setattr(
                dialect,
                "do_ping",
                lambda connection, ping=dialect.do_ping: pings.append(1) or ping(connection),
            )
    client = app.test_client()
    paths = [tile_path(database["parcel"], z) for z in (14, 16, 18)]
    try:
        for path in paths:  # made (and, with the tile cache, kept: a write, which pings)
            assert client.get(path).status_code == 200
        if settings:
            assert pings == []
        pings.clear()
        for path in paths:
            assert client.get(path).status_code == 200
        assert pings == []
        for _ in range(2):  # a new connection is not pinged, a pooled one is
            assert client.get("/health").status_code == 200
        assert pings, "the main engine pings its connections"
    finally:
        _dispose(app)


def test_lone_read_connections_start_with_jit_off_and_generic_plans(database, tmp_path):
    app = _app(tmp_path, database["url"])
    settings = sa.text("SELECT current_setting('jit'), current_setting('plan_cache_mode')")
    try:
        with get_database(app).read_engine.connect() as conn:
            assert conn.execute(settings).one() == ("off", "force_generic_plan")
        with get_database(app).engine.connect() as conn:
            assert conn.execute(settings).one()[1] == "auto"
    finally:
        _dispose(app)
