"""Fixtures of the office tests: two cities, their officers, an auditor, an admin, and a
test client signed in as any of them."""

from __future__ import annotations

import itertools

import pytest

from tests import factories as f

JALAL_ABAD = f.JALAL_ABAD


@pytest.fixture(autouse=True)
def own_factory_numbers():
    """Number this test's factory records from 1 and leave the shared counter as it was.

    factories.parcel places each new parcel further east by its number; tests that make
    many records would otherwise push later tests' parcels out of their city's zones.
    """
    saved = f._seq
    f._seq = itertools.count(1)
    yield
    f._seq = saved


@pytest.fixture()
def sign_in(client, people):
    """sign_in("officer_osh") makes the client that user (Flask-Login's session key)."""

    def as_user(name: str):
        return f.signed_in(client, people[name])

    return as_user
