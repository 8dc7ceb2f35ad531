"""Sign-in tells nothing about which usernames exist: an unknown name costs the same
password-hash check as an account, and is locked, and told the same time, alike."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from inventory.models import LoginLock
from inventory.services import auth as auth_service
from inventory.services import users
from tests.auth.conftest import sign_in

START = dt.datetime(2026, 12, 2, 16, 43, tzinfo=dt.UTC)


def _try(db_session, name: str, at: dt.datetime):
    """The error an attempt with a wrong password gets at `at`."""
    with pytest.raises((auth_service.SignInFailed, auth_service.LockedOut)) as refused:
        auth_service.authenticate(db_session, name, "wrong-password-1", "client", now=at)
    return refused.value


def test_an_unknown_name_is_locked_and_told_the_same_time_as_an_account(db_session, officer):
    for name in ("officer-osh", "ghost-h3"):
        for i in range(auth_service.MAX_FAILURES):
            error = _try(db_session, name, START + dt.timedelta(seconds=i))
            assert isinstance(error, auth_service.SignInFailed)
    answers = {}
    for name in ("officer-osh", "ghost-h3"):
        # The security test's M3: tries during the lock keep the time the lock began with.
        told = []
        for minutes in (1, 2, 10):
            error = _try(db_session, name, START + dt.timedelta(minutes=minutes))
            assert isinstance(error, auth_service.LockedOut)
            told.append((error.message, error.until))
        answers[name] = told
    assert answers["officer-osh"] == answers["ghost-h3"]
    until = START + dt.timedelta(seconds=auth_service.MAX_FAILURES - 1) + auth_service.LOCKOUT
    assert {until} == {u for _, u in answers["ghost-h3"]}
    locks = db_session.scalars(sa.select(LoginLock).order_by(LoginLock.username)).all()
    assert [(lock.username, lock.locked_until) for lock in locks] == [
        ("ghost-h3", until),
        ("officer-osh", until),
    ]


def test_the_sign_in_page_locks_both_with_one_message(client, officer):
    for name in ("officer-osh", "nobody-here"):
        for _ in range(auth_service.MAX_FAILURES):
            assert sign_in(client, username=name, password="guess guess 1").status_code == 401
    known = sign_in(client, username="officer-osh", password="guess guess 1")
    unknown = sign_in(client, username="nobody-here", password="guess guess 1")
    assert known.status_code == unknown.status_code == 429

    def told(page) -> str:  # the message, its clock time left out (it may cross a minute)
        alert = re.search(r'role="alert">([^<]+)<', page.get_data(as_text=True)).group(1)
        return re.sub(r"\d", "", alert)

    assert told(known) == told(unknown) and "Слишком много" in told(known)


def test_an_unknown_name_costs_the_same_password_check_as_an_account(
    monkeypatch, db_session, officer
):
    checked = []

    def counting(real):
        def check(pwhash, password):
            checked.append(pwhash.split("$")[0])
            return real(pwhash, password)

        return check

    monkeypatch.setattr(
        auth_service, "check_password_hash", counting(auth_service.check_password_hash)
    )
    monkeypatch.setattr(users, "check_password_hash", counting(users.check_password_hash))
    for name in ("officer-osh", "nobody-at-all"):
        with pytest.raises(auth_service.SignInFailed):
            auth_service.authenticate(db_session, name, "wrong-password-1", "client")
    # One scrypt check each, with the same work factor.
    assert len(checked) == 2 and checked[0] == checked[1]
    assert checked[0] == officer.password_hash.split("$")[0]
    assert checked[0].startswith("scrypt:")
