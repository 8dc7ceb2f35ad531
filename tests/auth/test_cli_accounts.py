"""`inventory users deactivate | activate`: the command line disables an account as an
administrator's page does, ending its sessions and tokens."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from inventory.cli import main
from inventory.database.session import make_engine
from inventory.models import ApiToken, Role, User, UserSession
from inventory.services import auth as auth_service
from inventory.services import sessions, users


@pytest.fixture()
def account(database_url_for_tests, monkeypatch):
    """A committed auditor 'cli-acc-1' with an open session and a live token, removed after."""
    monkeypatch.setenv("DATABASE_URL", database_url_for_tests)
    engine = make_engine(database_url_for_tests, poolclass=sa.pool.NullPool)
    with sa.orm.Session(engine) as db:
        user, _ = users.create_or_update(
            db, username="cli-acc-1", role=Role.AUDITOR, password="Saffron-Lantern-Orbit-9"
        )
        sessions.start(db, user)
        auth_service.issue_token(db, user)
        db.commit()
    yield engine
    with engine.begin() as conn:
        conn.execute(sa.delete(User).where(User.username == "cli-acc-1"))
    engine.dispose()


def _state(engine):
    with sa.orm.Session(engine) as db:
        user = db.scalar(sa.select(User).where(User.username == "cli-acc-1"))
        open_sessions = sessions.open_sessions(db, user.id)
        live_tokens = db.scalar(
            sa.select(sa.func.count())
            .select_from(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        )
        ended = db.scalar(
            sa.select(sa.func.count())
            .select_from(UserSession)
            .where(UserSession.user_id == user.id, UserSession.ended_at.is_not(None))
        )
        return user.active, open_sessions, live_tokens, ended


def test_the_command_line_deactivates_and_reactivates_an_account(account):
    runner = CliRunner()
    assert _state(account) == (True, 1, 1, 0)
    result = runner.invoke(main, ["users", "deactivate", "CLI-ACC-1"])
    assert result.exit_code == 0, result.output
    assert "Deactivated 'cli-acc-1'" in result.output
    assert _state(account) == (False, 0, 0, 1)
    result = runner.invoke(main, ["users", "activate", "cli-acc-1"])
    assert result.exit_code == 0 and _state(account)[0] is True


def test_an_unknown_name_is_named(account):
    result = CliRunner().invoke(main, ["users", "deactivate", "nobody-like-this"])
    assert result.exit_code == 1 and "no user nobody-like-this" in result.output
