"""requirements/production.lock, the pinned and hash-checked set a production install
uses (`./dev install-production`), stays in step with setup.cfg.

A dependency added to or tightened in setup.cfg without `./dev lock` would leave the
production install without it, or on a version the code no longer supports: these tests
fail until the lock is written again.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "production.lock"


def _install_requires() -> list[Requirement]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].splitlines()
    return [Requirement(line) for line in (ln.strip() for ln in lines) if line and line[0] != "#"]


def _locked() -> dict[str, tuple[str, list[str]]]:
    """Name -> (pinned version, its hashes), read from the lock's `name==version \\` entries."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        pin = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s\\;]+)", line)
        if pin:
            current = canonicalize_name(pin.group(1).split("[")[0])
            entries[current] = (pin.group(2), [])
            continue
        digest = re.match(r"^\s+--hash=(sha256:[0-9a-f]{64})", line)
        if digest and current:
            entries[current][1].append(digest.group(1))
    return entries


def test_every_dependency_of_setup_cfg_is_pinned_within_its_range():
    locked = _locked()
    problems = []
    for requirement in _install_requires():
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{requirement.name} is not in the lock")
        elif not requirement.specifier.contains(locked[name][0], prereleases=True):
            problems.append(f"{requirement.name}=={locked[name][0]} is outside {requirement}")
    assert not problems, "run ./dev lock: " + "; ".join(problems)


def test_every_locked_package_carries_a_hash():
    locked = _locked()
    assert len(locked) > 20
    unhashed = [name for name, (_, hashes) in locked.items() if not hashes]
    assert not unhashed, f"no hash for {unhashed}: run ./dev lock"


def test_the_lock_holds_what_builds_the_project_itself():
    # `pip install --no-build-isolation .` uses these; they must come hashed from the lock
    assert {"setuptools", "wheel"} <= set(_locked())


def test_test_tools_stay_out_of_the_production_lock():
    assert not {"pytest", "playwright", "ruff"} & set(_locked())
