"""Sessions end on the server: signing out, idle and absolute lifetimes, a password
change or reset and a deactivated account stop every copy of the cookie (and, for the
last three, every API token)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from inventory.models import Role, UserSession
from inventory.services import auth as auth_service
from inventory.services import users
from tests import factories as f
from tests.auth.conftest import PASSWORD, sign_in

NEW_PASSWORD = "Saffron-Lantern-Orbit-9"


def _copy(client, app):
    """A second browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _me(client) -> int:
    return client.get("/api/v1/auth/me").status_code


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(app, client, officer):
    assert sign_in(client).status_code == 302
    copy = _copy(client, app)
    assert _me(copy) == 200
    assert client.post("/auth/logout").status_code == 302
    assert _me(client) == 401
    assert _me(copy) == 401
    office = copy.get("/office/")
    assert office.status_code == 302 and "/auth/login" in office.headers["Location"]


def _age(db_session, **ago):
    db_session.execute(
        sa.update(UserSession).values(
            **{column: dt.datetime.now(dt.UTC) - delta for column, delta in ago.items()}
        )
    )


def test_a_session_left_idle_longer_than_the_setting_ends(app, client, db_session, officer):
    sign_in(client)
    assert _me(client) == 200
    _age(db_session, last_seen_at=dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1))
    assert _me(client) == 200  # and the request counts as use
    _age(db_session, last_seen_at=dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
    assert _me(client) == 401


def test_a_session_ends_at_its_absolute_lifetime_however_busy(app, client, db_session, officer):
    sign_in(client)
    _age(db_session, created_at=dt.timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1))
    assert _me(client) == 401


def test_the_lifetimes_are_short_by_default(app):
    assert app.config["SESSION_IDLE_MINUTES"] <= 30 and app.config["SESSION_MAX_HOURS"] <= 12


def test_a_cookie_with_flask_logins_keys_alone_signs_nobody_in(client, officer):
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(officer.id), True
    assert _me(client) == 401


def test_changing_my_password_signs_out_my_other_browsers_and_tokens(
    app, client, db_session, officer
):
    sign_in(client)
    laptop = app.test_client()
    sign_in(laptop)
    token, _ = auth_service.issue_token(db_session, officer)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 200
    response = client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "confirmation": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert _me(client) == 200  # this browser got a new session
    assert _me(laptop) == 401
    assert app.test_client().get("/api/v1/auth/me", headers=bearer).status_code == 401
    assert sign_in(app.test_client(), password=PASSWORD).status_code == 401
    assert sign_in(app.test_client(), password=NEW_PASSWORD).status_code == 302


def test_a_password_change_names_what_is_wrong_in_the_users_language(client, officer):
    sign_in(client)

    def change(current, new, again, lang):
        return client.post(
            f"/auth/password?lang={lang}",
            data={"current_password": current, "password": new, "confirmation": again},
        )

    wrong = change("not my password", NEW_PASSWORD, NEW_PASSWORD, "en")
    assert wrong.status_code == 400 and "current password is wrong" in wrong.get_data(as_text=True)
    common = change(PASSWORD, "Password123!", "Password123!", "ru")
    assert common.status_code == 400
    assert "один из самых распространённых" in common.get_data(as_text=True)
    differ = change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "ky")
    assert differ.status_code == 400 and "айырмаланат" in differ.get_data(as_text=True)
    assert _me(client) == 200  # nothing changed


def test_a_reset_from_the_command_line_ends_the_old_sessions_and_tokens(
    app, client, db_session, officer
):
    """The security test's M2: `inventory users create` on an existing account."""
    sign_in(client)
    token, _ = auth_service.issue_token(db_session, officer)
    users.create_or_update(
        db_session,
        username="officer-osh",
        role=Role.AUDITOR,
        password="Completely-New-Pass-77",
    )
    assert _me(client) == 401
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/auth/me", headers=bearer).status_code == 401


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(app, db_session, officer, osh):
    admin = f.user(db_session, "admin", username="chief")
    officer_browser = app.test_client()
    sign_in(officer_browser)
    token, _ = auth_service.issue_token(db_session, officer)
    chief = f.signed_in(app.test_client(), admin)
    assert chief.post(f"/office/users/{officer.id}/active", data={"active": "0"}).status_code == 303
    assert _me(officer_browser) == 401
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/auth/me", headers=bearer).status_code == 401
    refused = sign_in(app.test_client())
    assert refused.status_code == 401  # like a wrong password: nothing to learn
    chief.post(f"/office/users/{officer.id}/active", data={"active": "1"})
    assert sign_in(app.test_client()).status_code == 302
