"""GET /health: 200 with the database, 503 with a reason without it."""
from inventory.factory import create_app


def test_health_reports_ok_and_the_postgis_version(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["postgis"].startswith("3.")


def test_health_answers_503_with_a_reason_when_the_database_is_unreachable(tmp_path):
    app = create_app({"ENV": "test", "TESTING": True,
                      "DATABASE_URL": "postgresql://nobody:x@127.0.0.1:1/nothing",
                      "VAR_DIR": str(tmp_path)})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "unreachable"
    assert body["reason"]


def test_pages_answer_503_not_a_traceback_when_the_database_is_down(tmp_path):
    app = create_app({"ENV": "test", "DATABASE_URL": "postgresql://nobody:x@127.0.0.1:1/x",
                      "VAR_DIR": str(tmp_path)})
    response = app.test_client().get("/", headers={"Accept": "text/html"})
    assert response.status_code == 503
    assert b"Traceback" not in response.data
