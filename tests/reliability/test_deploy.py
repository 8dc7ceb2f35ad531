"""The files in deploy/ agree with the code: the commands the systemd units run exist with
the options they pass, the embedded database starts at boot before the app, the nightly
backup keeps a rotation, the nightly anomaly scan starts after it, and nginx proxies to
the port the app listens on."""

from __future__ import annotations

import re
import shlex
from configparser import ConfigParser
from pathlib import Path

import click
import pytest

from inventory.cli import main
from inventory.config import PROJECT_ROOT
from inventory.database.embedded import Cluster

DEPLOY = PROJECT_ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))


def unit(path: Path) -> ConfigParser:
    parser = ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(path)
    return parser


def inventory_commands(path: Path) -> list[list[str]]:
    """The `inventory ...` command lines of a unit's Exec* keys, without the program."""
    commands = []
    for key, value in unit(path)["Service"].items():
        if key.startswith("Exec"):
            words = shlex.split(value)
            assert words[0] == "/opt/inventory/.venv/bin/inventory", (path.name, value)
            commands.append(words[1:])
    return commands


def test_there_are_units_for_the_app_the_database_the_backup_and_the_scan():
    assert {p.name for p in UNITS} == {
        "inventory.service",
        "inventory-db.service",
        "inventory-backup.service",
        "inventory-scan.service",
    }


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_every_command_a_unit_runs_exists_with_its_options(path):
    commands = inventory_commands(path)
    assert commands
    for words in commands:
        command, args = main, list(words)
        while isinstance(command, click.Group):
            name, command, args = command.resolve_command(click.Context(command), args)
        try:
            command.make_context(name, args)  # parses the options; runs nothing
        except click.UsageError as exc:
            pytest.fail(f"{path.name}: inventory {' '.join(words)}: {exc}")


def test_the_embedded_database_starts_at_boot_before_the_app():
    db = unit(DEPLOY / "inventory-db.service")
    app = unit(DEPLOY / "inventory.service")
    assert db["Service"]["Type"] == "forking"
    # systemd follows the postmaster through the pid file PostgreSQL writes in its folder.
    cluster = Cluster(var_dir=Path("/opt/inventory/var"), port=0)
    assert db["Service"]["PIDFile"] == str(cluster.data_dir / "postmaster.pid")
    assert db["Service"]["Restart"] == "on-failure"
    assert db["Install"]["WantedBy"] == "multi-user.target"
    assert "inventory-db.service" in app["Unit"]["After"].split()
    assert "inventory-db.service" in app["Unit"]["Wants"].split()
    assert app["Service"]["Restart"] == "always"


def test_the_backup_runs_nightly_and_keeps_a_rotation():
    timer = unit(DEPLOY / "inventory-backup.timer")
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d:\d\d", timer["Timer"]["OnCalendar"])
    assert timer["Timer"]["Persistent"] == "true"  # a night missed (server off) runs at boot
    (words,) = inventory_commands(DEPLOY / "inventory-backup.service")
    assert words[0] == "backup" and int(words[words.index("--keep") + 1]) >= 7


def _start(timer: ConfigParser) -> tuple[int, int]:
    """(earliest, latest) minute of the day a daily timer starts its service."""
    hours, minutes, _ = (int(part) for part in timer["Timer"]["OnCalendar"].split()[1].split(":"))
    delay = int(timer["Timer"].get("RandomizedDelaySec", "0m").rstrip("m"))
    return hours * 60 + minutes, hours * 60 + minutes + delay


def test_the_anomaly_scan_runs_nightly_after_the_backup():
    scan = unit(DEPLOY / "inventory-scan.timer")
    backup = unit(DEPLOY / "inventory-backup.timer")
    assert scan["Timer"]["Persistent"] == "true"
    # Started after the latest the backup may start, with half an hour for the backup.
    assert _start(scan)[0] >= _start(backup)[1] + 30
    (words,) = inventory_commands(DEPLOY / "inventory-scan.service")
    assert words == ["scan"]  # every municipality, every rule, as of today
    assert (
        "inventory-backup.service"
        in unit(DEPLOY / "inventory-scan.service")["Unit"]["After"].split()
    )


def test_nginx_proxies_to_the_port_the_app_listens_on():
    (words,) = inventory_commands(DEPLOY / "inventory.service")
    assert words[:2] == ["serve", "--production"]
    listen = f"http://{words[words.index('--host') + 1]}:{words[words.index('--port') + 1]}"
    nginx = (DEPLOY / "nginx-inventory.conf").read_text()
    targets = set(re.findall(r"proxy_pass\s+([^;]+);", nginx))
    assert targets == {listen}
