"""The `inventory` command, run as an operator would, against the test database."""

import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from inventory.cli import main
from inventory.database.session import make_engine


@pytest.fixture()
def cli(database_url_for_tests, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url_for_tests)

    def run(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


@pytest.fixture()
def committed(database_url_for_tests):
    """A connection for checking and cleaning up what CLI commands committed."""
    engine = make_engine(database_url_for_tests, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        yield conn
        conn.execute(sa.text("DELETE FROM app_user WHERE username LIKE 'cli-%'"))
        conn.execute(sa.text("DELETE FROM municipality WHERE slug = 'cli-town'"))
        conn.commit()
    engine.dispose()


def test_stats_json_counts_every_kind_overall_and_per_municipality(cli):
    result = cli("stats", "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert set(counts["total"]) == {
        "parcels",
        "buildings",
        "lessees",
        "contracts",
        "payments",
        "inspections",
    }
    assert isinstance(counts["municipalities"], dict)


def test_users_create_admin_and_auditor_and_refuse_weak_passwords(cli, committed):
    ok = cli("users", "create", "cli-admin", "--role", "admin", "--password", "correct horse 42")
    assert ok.exit_code == 0, ok.output
    assert "Created admin 'cli-admin'" in ok.output
    weak = cli("users", "create", "cli-weak", "--role", "auditor", "--password", "123")
    assert weak.exit_code == 1
    assert "at least 10 characters" in weak.output
    roles = dict(
        committed.execute(
            sa.text("SELECT username, role FROM app_user WHERE username LIKE 'cli-%'")
        ).all()
    )
    assert roles == {"cli-admin": "admin"}


def test_an_officer_needs_a_known_municipality(cli, committed):
    result = cli(
        "users", "create", "cli-officer", "--role", "officer", "--password", "correct horse 42"
    )
    assert result.exit_code == 1 and "municipality" in result.output
    result = cli(
        "users",
        "create",
        "cli-officer",
        "--role",
        "officer",
        "--municipality",
        "atlantis",
        "--password",
        "correct horse 42",
    )
    assert result.exit_code == 1 and "no municipality 'atlantis'" in result.output


def test_db_status_with_database_url_reports_the_external_server(cli):
    result = cli("db", "status", "--json")
    info = json.loads(result.output)
    assert info["mode"] == "external"
    assert "***" in info["url"]  # the password is never printed
    assert info["schema_revision"]


def test_db_up_with_database_url_starts_nothing(cli):
    result = cli("db", "up")
    assert result.exit_code == 0
    assert "DATABASE_URL is set" in result.output


@pytest.mark.slow
def test_serve_production_runs_gunicorn_that_answers_health(database_url_for_tests, tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(
        os.environ,
        DATABASE_URL=database_url_for_tests,
        INVENTORY_ENV="production",
        SECRET_KEY="p" * 48,
        INVENTORY_VAR_DIR=str(tmp_path),
    )
    inventory = str(Path(sys.executable).parent / "inventory")
    server = subprocess.Popen(
        [inventory, "serve", "--production", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    body = json.loads(r.read())
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    # Stop it before reading: a running server never closes its output.
                    server.terminate()
                    try:
                        output, _ = server.communicate(timeout=30)
                    except subprocess.TimeoutExpired:
                        server.kill()
                        output, _ = server.communicate(timeout=10)
                    raise AssertionError(output.decode()[-2000:]) from None
                time.sleep(0.3)
        assert body["status"] == "ok"
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        server.stdout.close()


def test_serve_refuses_production_with_the_default_secret(monkeypatch, database_url_for_tests):
    monkeypatch.setenv("DATABASE_URL", database_url_for_tests)
    monkeypatch.setenv("INVENTORY_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    result = CliRunner().invoke(main, ["serve", "--production"])
    assert result.exit_code == 1
    assert "SECRET_KEY" in result.output
