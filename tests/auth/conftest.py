"""Fixtures of the sign-in tests."""

from __future__ import annotations

import re

import pytest

from tests import factories as f

PASSWORD = "correct horse 42"


@pytest.fixture()
def officer(db_session):
    return f.user(
        db_session,
        "officer",
        f.municipality(db_session, "osh"),
        username="officer-osh",
        password=PASSWORD,
    )


def csrf_token_of(client, path="/auth/login") -> str:
    """The CSRF token the page at `path` hands its form."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def sign_in(client, username="officer-osh", password=PASSWORD, **extra):
    return client.post("/auth/login", data={"username": username, "password": password, **extra})
