"""`/office/users`: an administrator creates accounts, sets role and municipality, gives
a new password and deactivates accounts; nobody else may."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inventory.models import Role, User
from inventory.services import users
from tests import factories as f

NEW = "Saffron-Lantern-Orbit-9"


def _user(db_session, username: str) -> User:
    return db_session.scalar(sa.select(User).where(User.username == username))


@pytest.mark.parametrize("name", ["officer_osh", "auditor"])
def test_only_administrators_see_the_accounts(sign_in, name, people):
    client = sign_in(name)
    assert client.get("/office/users").status_code == 403
    assert client.post("/office/users", data={"username": "x1"}).status_code == 403
    target = people["officer_ja"].id
    assert client.post(f"/office/users/{target}/active", data={"active": "0"}).status_code == 403


def test_an_administrator_creates_an_officer_of_a_city(sign_in, db_session, people):
    admin = sign_in("admin")
    page = admin.get("/office/users?lang=en").get_data(as_text=True)
    assert "officer-osh" in page and "New account" in page
    response = admin.post(
        "/office/users",
        data={
            "username": "A.Usenov",
            "role": "officer",
            "municipality": "jalal-abad",
            "full_name": "Усенов Азамат",
            "password": NEW,
            "confirmation": NEW,
        },
    )
    assert response.status_code == 303
    made = _user(db_session, "a.usenov")
    assert made.role == Role.OFFICER and made.municipality.slug == "jalal-abad"
    assert made.full_name == "Усенов Азамат" and users.password_matches(made, NEW)
    assert "a.usenov" in admin.get("/office/users").get_data(as_text=True)


@pytest.mark.parametrize(
    "fields, english, russian",
    [
        ({"username": "officer-osh"}, "this username is taken", "это имя пользователя занято"),
        ({"password": "Password123!", "confirmation": "Password123!"}, "most common", "самых"),
        ({"confirmation": NEW + "x"}, "the two new passwords differ", "различаются"),
        ({"municipality": ""}, "must belong to a municipality", "муниципалитет"),
        ({"role": "superuser"}, "choose a role", "выберите роль"),
    ],
)
def test_a_refused_account_says_why_in_the_users_language(
    sign_in, db_session, people, fields, english, russian
):
    admin = sign_in("admin")
    data = {
        "username": "new-one",
        "role": "officer",
        "municipality": "osh",
        "password": NEW,
        "confirmation": NEW,
        **fields,
    }
    refused = admin.post("/office/users?lang=en", data=data)
    assert refused.status_code in (400, 404) and english in refused.get_data(as_text=True)
    assert russian in admin.post("/office/users?lang=ru", data=data).get_data(as_text=True)
    assert _user(db_session, "new-one") is None


def test_an_administrator_moves_an_officer_and_the_old_sessions_end(
    app, sign_in, db_session, people
):
    officer = people["officer_osh"]
    officers_browser = f.signed_in(app.test_client(), officer)
    assert officers_browser.get("/api/v1/auth/me").status_code == 200
    admin = sign_in("admin")
    response = admin.post(
        f"/office/users/{officer.id}",
        data={"role": "auditor", "municipality": "", "full_name": "Осмонов Б."},
    )
    assert response.status_code == 303
    db_session.refresh(officer)
    assert (officer.role, officer.municipality_id) == (Role.AUDITOR, None)
    assert officers_browser.get("/api/v1/auth/me").status_code == 401


def test_a_new_password_from_the_administrator_lifts_the_lockout(app, sign_in, db_session, people):
    officer = people["officer_osh"]
    for _ in range(5):
        app.test_client().post(
            "/auth/login", data={"username": "officer-osh", "password": "guess guess 1"}
        )
    locked = app.test_client().post(
        "/auth/login", data={"username": "officer-osh", "password": NEW}
    )
    assert locked.status_code == 429
    admin = sign_in("admin")
    response = admin.post(
        f"/office/users/{officer.id}/password", data={"password": NEW, "confirmation": NEW}
    )
    assert response.status_code == 303
    again = app.test_client().post("/auth/login", data={"username": "officer-osh", "password": NEW})
    assert again.status_code == 302


def test_an_administrator_cannot_lock_themselves_out(sign_in, db_session, people):
    admin = sign_in("admin")
    me = people["admin"].id
    refused = admin.post(f"/office/users/{me}/active?lang=en", data={"active": "0"})
    assert refused.status_code == 400
    assert "cannot deactivate your own account" in refused.get_data(as_text=True)
    demoted = admin.post(f"/office/users/{me}?lang=en", data={"role": "auditor"})
    assert "your own administrator role" in demoted.get_data(as_text=True)
    db_session.refresh(people["admin"])
    assert people["admin"].active and people["admin"].role == Role.ADMIN
