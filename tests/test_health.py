"""GET /health: 200 with the database, 503 with a reason without it."""

import pytest

from inventory.factory import create_app


def test_health_reports_ok_and_the_postgis_version(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["postgis"].startswith("3.")


def test_health_answers_503_with_a_reason_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        {
            "ENV": "test",
            "TESTING": True,
            "DATABASE_URL": "postgresql://nobody:x@127.0.0.1:1/nothing",
            "VAR_DIR": str(tmp_path),
        }
    )
    response = app.test_client().get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "unreachable"
    assert body["reason"]


def test_pages_answer_503_not_a_traceback_when_the_database_is_down(tmp_path):
    app = create_app(
        {
            "ENV": "test",
            "DATABASE_URL": "postgresql://nobody:x@127.0.0.1:1/x",
            "VAR_DIR": str(tmp_path),
        }
    )
    response = app.test_client().get("/", headers={"Accept": "text/html"})
    assert response.status_code == 503
    assert b"Traceback" not in response.data


def test_ready_when_the_schema_is_at_the_expected_revision(client):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ready"


@pytest.mark.slow
def test_not_ready_while_the_schema_is_behind_the_code(tmp_path):
    import sqlalchemy as sa

    from tests.conftest import throwaway_database

    with throwaway_database() as url:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'older'"))
        engine.dispose()
        app = create_app({"ENV": "test", "SQLALCHEMY_URL": url, "VAR_DIR": str(tmp_path)})
        response = app.test_client().get("/ready")
        app.extensions["inventory.db"].engine.dispose()
    assert response.status_code == 503
    assert "inventory db upgrade" in response.get_json()["reason"]


def test_every_answer_carries_a_request_id_and_keeps_a_sane_given_one(client):
    fresh = client.get("/health")
    assert len(fresh.headers["X-Request-ID"]) == 32
    given = client.get("/health", headers={"X-Request-ID": "abc-123-def-456"})
    assert given.headers["X-Request-ID"] == "abc-123-def-456"
    hostile = client.get("/health", headers={"X-Request-ID": "<script>"})
    assert hostile.headers["X-Request-ID"] != "<script>"


def test_the_access_log_leaves_out_tiles_and_assets_that_succeed(client, caplog):
    caplog.set_level("INFO", logger="inventory.access")
    client.get("/tiles/parcels/16/0/0.pbf")
    client.get("/webmap/static/vendor/leaflet/leaflet.css")
    client.get("/webmap/static/no-such-file.js")  # 404
    client.get("/tiles/parcels/23/0/0.pbf")  # impossible tile: 404
    client.get("/health")
    logged = [record.getMessage() for record in caplog.records if record.name == "inventory.access"]
    assert logged == [
        "GET /webmap/static/no-such-file.js 404",
        "GET /tiles/parcels/23/0/0.pbf 404",
        "GET /health 200",
    ]
