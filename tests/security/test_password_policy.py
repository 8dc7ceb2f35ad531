"""The password policy, and production refusing accounts that were made without it (the
demo's `demo`)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy.orm as so

from inventory.database.session import EXTENSION_KEY
from inventory.factory import create_app
from inventory.models import Role
from inventory.services import users
from inventory.services.errors import ValidationError


@pytest.mark.parametrize(
    "password",
    ["qwerty12345", "Password123", "1q2w3e4r5t", "ЙЦУКЕНГШЩЗ", "1234567890", "admin12345"],
)
def test_common_passwords_are_refused_whatever_their_case(password):
    with pytest.raises(ValidationError, match="most common"):
        users.check_password_policy(password)


def test_a_password_containing_the_username_is_refused(db_session):
    with pytest.raises(ValidationError, match="username") as refused:
        users.create_or_update(
            db_session, username="auditor-osh", role=Role.AUDITOR, password="Auditor-Osh-2026!"
        )
    assert refused.value.field == "password"


def test_a_long_uncommon_password_is_accepted(db_session):
    user, created = users.create_or_update(
        db_session, username="auditor-osh", role=Role.AUDITOR, password="correct horse 42"
    )
    assert created and users.password_matches(user, "correct horse 42")


def _app(env: str, database_url_for_tests, connection, tmp_path):
    app = create_app(
        {
            "ENV": env,
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "SQLALCHEMY_URL": database_url_for_tests,
            "WTF_CSRF_ENABLED": False,
            "VAR_DIR": str(tmp_path / env),
        }
    )
    app.extensions[EXTENSION_KEY].sessionmaker = so.sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return app


@pytest.fixture()
def demo_admin(db_session):
    """An admin made the way the demo makes its accounts: password "demo", no policy."""
    users.create_or_update(
        db_session, username="admin", role=Role.ADMIN, password="demo", enforce_policy=False
    )
    db_session.flush()


def test_the_demo_password_signs_in_during_development(
    demo_admin, database_url_for_tests, connection, tmp_path
):
    client = _app("development", database_url_for_tests, connection, tmp_path).test_client()
    response = client.post("/auth/login", data={"username": "admin", "password": "demo"})
    assert response.status_code == 302


def test_production_refuses_the_demo_password_on_the_form_and_the_api(
    demo_admin, database_url_for_tests, connection, tmp_path
):
    app = _app("production", database_url_for_tests, connection, tmp_path)
    client = app.test_client()
    page = client.post(
        "/auth/login?lang=en",
        data={"username": "admin", "password": "demo"},
        base_url="https://localhost",
    )
    assert page.status_code == 403
    assert "too weak for this server" in page.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session
    token = client.post(
        "/api/v1/auth/token",
        json={"username": "admin", "password": "demo"},
        base_url="https://localhost",
    )
    assert token.status_code == 403 and "token" not in token.get_json()
