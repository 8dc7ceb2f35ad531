"""The limits hold under parallel requests (security test L2): fifteen password guesses
sent at once get five checks, fifteen citizen reports at once get five stored. Real HTTP
against a live server, whose threads each hold their own database connection."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from inventory.database.session import make_engine
from inventory.models import CitizenReport, LoginAttempt
from inventory.services import auth as auth_service
from inventory.services.public import reports
from tests import factories as f
from tests.live_server import serving
from webmap.forms import start_token

PARALLEL = 15
SECRET = "parallel-" + uuid.uuid4().hex


def _status(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _all_at_once(requests: list[urllib.request.Request]) -> list[int]:
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(_status, requests, timeout=120))


def _fill(session):
    osh = f.municipality(session, "osh")
    f.user(session, "officer", osh, username="race2", password="correct horse 42")
    f.parcel(session, osh)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(
        _fill,
        tmp_path_factory,
        settings={"SECRET_KEY": SECRET, "WTF_CSRF_ENABLED": False, "REPORT_MIN_FILL_SECONDS": 0},
    ) as served:
        yield served


def _count(url: str, query) -> int:
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(query).scalar_one()
    finally:
        engine.dispose()


def test_parallel_password_guesses_get_no_more_checks_than_sequential_ones(server):
    body = json.dumps({"username": "race2", "password": "wrong-password-1"}).encode()
    guess = [
        urllib.request.Request(
            server.base + "/api/v1/auth/token",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        for _ in range(PARALLEL)
    ]
    statuses = _all_at_once(guess)
    assert statuses.count(401) == auth_service.MAX_FAILURES
    assert statuses.count(429) == PARALLEL - auth_service.MAX_FAILURES
    recorded = sa.select(sa.func.count()).where(LoginAttempt.username == "race2")
    assert _count(server.database_url, recorded) == PARALLEL


def test_parallel_reports_from_one_client_are_limited_like_sequential_ones(server):
    parcel_id = _count(server.database_url, sa.text("SELECT min(id) FROM parcel"))
    form = urllib.parse.urlencode(
        {
            "text": "Киоск на газоне",
            "parcel": parcel_id,
            "website": "",
            "started": start_token(SECRET, time.time() - 60),
        }
    ).encode()
    report = [
        urllib.request.Request(
            server.base + "/report?lang=en",
            data=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        for _ in range(PARALLEL)
    ]
    statuses = _all_at_once(report)
    # urllib follows the redirect to the thank-you page: a stored report answers 200.
    assert statuses.count(200) == reports.RATE_LIMIT, statuses
    assert statuses.count(429) == PARALLEL - reports.RATE_LIMIT
    stored = sa.select(sa.func.count()).select_from(CitizenReport)
    assert _count(server.database_url, stored) == reports.RATE_LIMIT
