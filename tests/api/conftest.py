"""Fixtures of the API tests: two cities, their officers, an auditor, an admin, tokens."""
from __future__ import annotations

import pytest

from inventory.services import auth as auth_service
from tests import factories as f

JALAL_ABAD = (73.00, 40.933)


@pytest.fixture()
def osh(db_session):
    return f.municipality(db_session, "osh")


@pytest.fixture()
def jalalabad(db_session):
    return f.municipality(db_session, "jalal-abad", centre=JALAL_ABAD)


@pytest.fixture()
def people(db_session, osh, jalalabad):
    """Users by name: officer_osh, officer_ja, auditor, admin."""
    return {
        "officer_osh": f.user(db_session, "officer", osh, username="officer-osh"),
        "officer_ja": f.user(db_session, "officer", jalalabad, username="officer-ja"),
        "auditor": f.user(db_session, "auditor", username="auditor"),
        "admin": f.user(db_session, "admin", username="admin"),
    }


@pytest.fixture()
def headers(db_session, people):
    """Authorization headers per user name, with a freshly issued token each."""
    result = {}
    for name, person in people.items():
        token, _ = auth_service.issue_token(db_session, person)
        result[name] = {"Authorization": f"Bearer {token}"}
    db_session.flush()
    return result


def polygon(shape) -> dict:
    """A shapely geometry as a GeoJSON dict."""
    import shapely.geometry
    return shapely.geometry.mapping(shape)
