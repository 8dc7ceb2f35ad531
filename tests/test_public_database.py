"""PUBLIC_DATABASE_URL: the public side reads through a role that may only SELECT.

The database is a real one of its own (the public engine is a second connection, so it
must see committed rows), with a PostgreSQL role granted SELECT and nothing else, as an
operator sets it up for a read replica or a read-only account.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as so
from sqlalchemy.engine import make_url

from inventory import config as config_module
from inventory import models as m
from inventory.database.session import get_public_database, make_engine
from inventory.factory import create_app
from tests import factories as f
from tests.conftest import throwaway_database
from tests.webmap.conftest import tile_path
from webmap.forms import start_token

UNREACHABLE = "postgresql://nobody:x@127.0.0.1:1/nothing"


@pytest.fixture(scope="module")
def databases() -> Iterator[dict]:
    """A committed inventory (one leased parcel of a company) and two URLs to it: the
    owner's, and a role's that has SELECT on every table and no other right."""
    with throwaway_database() as url:
        owner = make_engine(url, poolclass=sa.pool.NullPool)
        role, password = f"public_reader_{uuid.uuid4().hex[:8]}", secrets.token_hex(16)
        with owner.begin() as conn:
            database = conn.execute(sa.text("SELECT current_database()")).scalar()
            conn.execute(sa.text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
            conn.execute(sa.text(f'GRANT CONNECT ON DATABASE "{database}" TO {role}'))
            conn.execute(sa.text(f"GRANT USAGE ON SCHEMA public TO {role}"))
            conn.execute(sa.text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
        try:
            with so.Session(owner, expire_on_commit=False) as session:
                company = f.lessee(session, name="ОсОО «Ала-Тоо Курулуш»", inn="01234567890123")
                parcel = f.parcel(session, status=m.ParcelStatus.LEASED, address="ул. Ленина, 212")
                f.contract(session, parcel, lessee=company)
                session.commit()
            public = make_url(url).set(username=role, password=password)
            yield {
                "url": url,
                "public_url": public.render_as_string(hide_password=False),
                "parcel": parcel,
                "owner": owner,
            }
        finally:
            with owner.begin() as conn:
                conn.execute(sa.text(f"DROP OWNED BY {role}"))
                conn.execute(sa.text(f'REVOKE ALL ON DATABASE "{database}" FROM {role}'))
                conn.execute(sa.text(f"DROP ROLE {role}"))
            owner.dispose()


def _app(tmp_path, url: str, public_url: str | None):
    app = create_app(
        {
            "ENV": "test",
            "TESTING": True,
            "SQLALCHEMY_URL": url,
            "PUBLIC_DATABASE_URL": public_url,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
            "VAR_DIR": str(tmp_path / "var"),
        }
    )
    return app


@pytest.fixture()
def app(databases, tmp_path):
    app = _app(tmp_path, databases["url"], databases["public_url"])
    yield app
    app.extensions["inventory.db"].engine.dispose()
    get_public_database(app).engine.dispose()


def _public_pages(parcel) -> list[str]:
    return [
        "/",
        "/free",
        "/about-data",
        "/stats",
        f"/parcels/{parcel.id}",
        f"/parcels/{parcel.id}.json",
        "/search?q=Ленина",
        tile_path(parcel),
        "/layers/boundaries.geojson",
        "/ogc/collections",
        "/ogc/collections/parcels",
        "/ogc/collections/parcels/items?limit=5",
        f"/ogc/collections/parcels/items/{parcel.id}",
        "/opendata/ocds/releases.json",
    ]


def test_the_public_engine_connects_as_the_select_only_role(app, databases):
    with get_public_database(app).engine.connect() as conn:
        user, read_only = conn.execute(
            sa.text("SELECT current_user, current_setting('transaction_read_only')")
        ).one()
    assert user == make_url(databases["public_url"]).username
    assert read_only == "on"


def test_public_pages_answer_through_the_read_only_role(app, databases):
    client = app.test_client()
    parcel = databases["parcel"]
    for path in _public_pages(parcel):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    found = client.get("/search?q=Ленина").get_json()["results"]
    assert [hit["id"] for hit in found] == [parcel.id]
    items = client.get("/ogc/collections/parcels/items").get_json()
    assert [feature["id"] for feature in items["features"]] == [parcel.id]


def test_public_pages_read_only_from_the_public_database(databases, tmp_path):
    """With the public database unreachable the public side fails and nothing else:
    proof that it reads from there, not from the main database."""
    app = _app(tmp_path, databases["url"], UNREACHABLE)
    client = app.test_client()
    for path in _public_pages(databases["parcel"]):
        assert client.get(path).status_code == 503, path
    assert client.get("/auth/login").status_code == 200
    assert client.get("/ready").status_code == 200
    app.extensions["inventory.db"].engine.dispose()


def test_a_write_through_the_public_engine_fails(app, databases):
    parcel = databases["parcel"]
    engine = get_public_database(app).engine
    with engine.connect() as conn, pytest.raises(sa_exc.DBAPIError, match="read-only"):
        conn.execute(sa.text("UPDATE parcel SET address = 'x' WHERE id = :id"), {"id": parcel.id})
    # Even a transaction asking for read-write cannot: the role has no right to write.
    with engine.connect() as conn, pytest.raises(sa_exc.DBAPIError, match="permission denied"):
        conn.execute(sa.text("SET TRANSACTION READ WRITE"))
        conn.execute(sa.text("UPDATE parcel SET address = 'x' WHERE id = :id"), {"id": parcel.id})
    with databases["owner"].connect() as conn:
        assert (
            conn.execute(
                sa.text("SELECT address FROM parcel WHERE id = :id"), {"id": parcel.id}
            ).scalar()
            == "ул. Ленина, 212"
        )


def test_the_citizen_report_still_saves_through_the_main_database(app, databases):
    parcel = databases["parcel"]
    text = f"Киоск на газоне {uuid.uuid4().hex}"
    response = app.test_client().post(
        "/report?lang=en",
        data={
            "text": text,
            "contact": "",
            "website": "",
            "parcel": parcel.id,
            "started": start_token(app.config["SECRET_KEY"], time.time() - 60),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and "/report/sent" in response.headers["Location"]
    with databases["owner"].connect() as conn:
        saved = conn.execute(
            sa.select(m.CitizenReport.parcel_id, m.CitizenReport.status).where(
                m.CitizenReport.text == text
            )
        ).all()
    assert saved == [(parcel.id, "pending")]


def test_health_reports_the_public_database(app, databases, tmp_path):
    body = app.test_client().get("/health").get_json()
    assert (body["status"], body["public_database"], body["public_database_read_only"]) == (
        "ok",
        "ok",
        True,
    )
    down = _app(tmp_path, databases["url"], UNREACHABLE)
    response = down.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["public_database"] == "unreachable"
    down.extensions["inventory.db"].engine.dispose()


def test_without_the_setting_public_reads_use_the_main_database(databases, tmp_path):
    app = _app(tmp_path, databases["url"], None)
    assert get_public_database(app) is None
    assert "public_database" not in app.test_client().get("/health").get_json()
    app.extensions["inventory.db"].engine.dispose()


def test_the_setting_comes_from_the_environment():
    settings = config_module.load(
        environ={"INVENTORY_PUBLIC_DATABASE_URL": "postgresql://reader:x@replica/inventory"}
    )
    assert settings["PUBLIC_DATABASE_URL"] == "postgresql://reader:x@replica/inventory"
    assert config_module.load(environ={})["PUBLIC_DATABASE_URL"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/collections/parcels/items?limit=5",
        "/ogc/collections/parcels",
        "/ogc/api",
        "/opendata/ocds/releases.json",
    ],
)
def test_public_answers_may_be_cached_and_revalidated(app, path):
    """nginx or a CDN may keep them a while, then ask again with the ETag and get a 304
    while nothing changed (the items' timestamp does not count as a change)."""
    client = app.test_client()
    first = client.get(path)
    assert first.status_code == 200
    assert first.cache_control.public and first.cache_control.max_age > 0
    etag, _ = first.get_etag()
    assert etag
    time.sleep(1.1)  # the next answer's timeStamp differs
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_etag()[0] == etag
    assert again.data == b""


def test_a_changed_page_gets_a_new_etag(app, databases):
    client = app.test_client()
    one = client.get("/ogc/collections/parcels/items?limit=1")
    other = client.get("/ogc/collections/parcels/items?limit=1&status=free")
    assert one.get_etag()[0] != other.get_etag()[0]
    assert (
        client.get(
            "/ogc/collections/parcels/items?limit=1",
            headers={"If-None-Match": other.headers["ETag"]},
        ).status_code
        == 200
    )


def test_downloads_carry_an_etag_and_may_be_cached(app):
    folder = Path(app.config["VAR_DIR"]) / "opendata"
    folder.mkdir(parents=True)
    (folder / "parcels-all.csv").write_text("id,wkt\n1,POINT (72.8 40.5)\n")
    client = app.test_client()
    first = client.get("/opendata/files/parcels-all.csv")
    assert first.status_code == 200
    assert first.cache_control.public and first.cache_control.max_age == 3600
    again = client.get(
        "/opendata/files/parcels-all.csv", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
