"""`inventory digest`, run as an operator would against the test database."""

from __future__ import annotations

from click.testing import CliRunner

from inventory.cli import main


def test_without_a_mail_server_the_command_says_what_to_set(database_url_for_tests, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url_for_tests)
    monkeypatch.delenv("INVENTORY_SMTP_HOST", raising=False)
    result = CliRunner().invoke(main, ["digest"])
    assert result.exit_code == 1
    assert "INVENTORY_SMTP_HOST" in result.output
    dry = CliRunner().invoke(main, ["digest", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert '"failed": 0' in dry.output
