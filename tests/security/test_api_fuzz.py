"""schemathesis against /api/v1/openapi.json: no request the schema allows, or breaks,
makes the API answer 5xx — signed in as an admin, or not at all.

Each operation gets `EXAMPLES` generated requests per caller; the total is printed and
asserted, so a schema that loses operations cannot make the test silently lighter.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from inventory.services import auth as auth_service

EXAMPLES = 23  # × 46 operations × 2 callers ≈ 2,100 requests, about 2 minutes
MINIMUM_REQUESTS = 2000


@pytest.mark.slow
def test_no_generated_request_makes_the_api_fail(app, db_session, world):
    admin = world.users["admin"]
    token, _ = auth_service.issue_token(db_session, admin)
    db_session.flush()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    callers = {"admin": {"Authorization": f"Bearer {token}"}, "public": {}}
    failures, counter = [], [0]
    for result in schema.get_all_operations():
        operation = result.ok()
        for name, headers in callers.items():
            probe = _prober(operation, name, headers, failures, counter)
            probe()
    sent = counter[0]
    print(f"schemathesis sent {sent} requests")
    assert not failures, "\n".join(sorted(set(failures))[:30])
    assert sent >= MINIMUM_REQUESTS


def _prober(operation, name: str, headers: dict, failures: list, counter: list):
    """A hypothesis test sending EXAMPLES cases of `operation` as `name`."""

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def probe(case):
        counter[0] += 1
        response = case.call(headers=headers)
        if response.status_code >= 500:
            failures.append(
                f"{name}: {case.method} {case.formatted_path} {case.query} "
                f"{str(case.body)[:200]} -> {response.status_code}"
            )

    return probe
