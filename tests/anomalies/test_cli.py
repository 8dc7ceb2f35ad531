"""`inventory scan` prints what the scan did, per rule, as a table or JSON."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from inventory.cli import main
from tests import factories as f
from tests.anomalies.conftest import AS_OF, days


@pytest.fixture()
def invoke(app, monkeypatch):
    """Run `inventory ...` against the test's rolled-back transaction."""
    # `inventory.cli.scan` is also the command's name in the package, hence sys.modules.
    monkeypatch.setattr(sys.modules["inventory.cli.scan"], "make_app", lambda: app)
    return lambda *args: CliRunner().invoke(main, list(args))


def test_scan_prints_counts_per_rule(app, invoke):
    from inventory.database import session_scope

    with app.app_context(), session_scope(app) as session:
        f.contract(session, end_date=AS_OF + days(10))

    result = invoke(
        "scan",
        "--municipality",
        "osh",
        "--as-of",
        str(AS_OF),
        "--rule",
        "contract_ending_soon",
        "--json",
    )

    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)["rules"]
    assert counts == {
        "contract_ending_soon": {
            "new": 1,
            "still_open": 0,
            "reopened": 0,
            "auto_resolved": 0,
            "still_closed": 0,
        }
    }
    table = invoke("scan", "--as-of", str(AS_OF), "--rule", "contract_ending_soon")
    assert "contract_ending_soon" in table.output and "still open" in table.output


def test_scan_refuses_an_unknown_rule_and_a_bad_date(invoke):
    assert "unknown rule nonsense" in invoke("scan", "--rule", "nonsense").output
    assert "is not a date" in invoke("scan", "--as-of", "01.11.2026").output
