"""The code keeps one format and passes the linter, so diffs show changes, not layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUFF = [sys.executable, "-m", "ruff"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RUFF, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    "command", [("format", "--check", "."), ("check", ".")], ids=["ruff format", "ruff check"]
)
def test_the_code_is_formatted_and_lint_free(command):
    result = _ruff(*command)
    assert result.returncode == 0, (
        f"`ruff {' '.join(command)}` found problems; run `.venv/bin/ruff format . && "
        f".venv/bin/ruff check --fix .`:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
    )
