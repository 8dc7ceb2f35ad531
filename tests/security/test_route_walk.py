"""Every route of the app, called as each role, answers what the access table says.

The table below classifies each route by its path prefix (longest prefix wins; a few
endpoints are named on their own). A route that matches no entry fails the walk with its
name: whoever adds a route decides who may call it here, in the same change.

Roles: the public (no login), an auditor, an officer of Jalal-Abad ("foreign"), an
officer of Osh ("home", whose city holds every record the walk uses) and an admin.
Web pages get a signed-in session, /api/v1 a bearer token. Each call runs in a savepoint
rolled back afterwards, so an admin's archive never hides the record from the next role.
"""

from __future__ import annotations

import pytest

from inventory.factory import create_app
from tests import factories as f
from tests.security.conftest import ROLES
from tests.security.walk_values import VariableUnknown, build_call, may_be_missing

#: What a role gets: "ok" 2xx/3xx; "answered" anything below 500 but 401/403 (a form
#: posted empty may say 400: the point is that nobody refused the caller); "denied" 403
#: (or 404 for a record of another city, which must not even be confirmed to exist);
#: "login" a redirect to the sign-in page or 401; "401" exactly that.
#: "refused" is "denied" or a 4xx for the empty form the walk posts to office pages
#: (whose forms validate before they check the role; see REFUSED below).
OK, ANSWERED, DENIED, LOGIN, UNAUTHORISED = "ok", "answered", "denied", "login", "401"
REFUSED = "refused"
#: An auditor on office pages: reads the record pages, is refused the editing forms.
SEES_OR_DENIED = "sees or denied"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _public(method: str, role: str, record: bool) -> str:
    return OK if method == "GET" else ANSWERED


def _api(method: str, role: str, record: bool) -> str:
    if role == "public":
        return UNAUTHORISED
    if method in WRITES:
        return DENIED if role in ("auditor", "foreign_officer") else OK
    if role == "foreign_officer" and record:
        return DENIED
    return OK


def _api_open(method: str, role: str, record: bool) -> str:
    return OK if method == "GET" else ANSWERED


def _api_self(method: str, role: str, record: bool) -> str:
    return UNAUTHORISED if role == "public" else OK


def _office(method: str, role: str, record: bool) -> str:
    """The officers' workspace: auditors read it, officers keep their own city's records.

    The walk posts office forms empty, and they validate before checking the role (a
    refusal may come back as a 303 with a flashed message), so a write is only proved
    "not accepted" (REFUSED) for auditors and foreign officers; the API walk proves the
    same services refuse them with 403.
    """
    if role == "public":
        return LOGIN
    if method in WRITES:
        return REFUSED if role in ("auditor", "foreign_officer") else ANSWERED
    if role == "auditor":
        return SEES_OR_DENIED
    return DENIED if role == "foreign_officer" and record else OK


def _office_admin(method: str, role: str, record: bool) -> str:
    """Office pages of administrators alone (the names and synonyms of reference values,
    the user accounts)."""
    if role == "public":
        return LOGIN
    if role == "admin":
        return ANSWERED if method in WRITES else OK
    return REFUSED if method in WRITES else DENIED


def _api_admin(method: str, role: str, record: bool) -> str:
    """API writes of administrators alone (opening, assigning and closing a review
    campaign); their reads are everyone's signed in."""
    if role == "public":
        return UNAUTHORISED
    if method in WRITES:
        return OK if role == "admin" else DENIED
    return _api(method, role, record)


def _office_self(method: str, role: str, record: bool) -> str:
    """Office pages about the signed-in user alone (the daily digest setting): every
    signed-in user reads and saves their own."""
    if role == "public":
        return LOGIN
    return ANSWERED if method in WRITES else OK


def _audit(method: str, role: str, record: bool) -> str:
    """The auditors' workspace (anomaly lists, exports): every signed-in user reads it
    (officers fix what the flags point at), the public never."""
    if role == "public":
        return LOGIN
    if method in WRITES:
        return ANSWERED
    return DENIED if role == "foreign_officer" and record else OK


def _sign_in_out(method: str, role: str, record: bool) -> str:
    return ANSWERED if method == "POST" else OK


#: Path prefix -> rule. Longest prefix wins. "/" alone would classify everything, so the
#: public site is listed path by path.
PREFIXES = {
    "/api/v1": _api,
    "/office": _office,
    "/office/synonyms": _office_admin,
    "/office/users": _office_admin,
    "/office/campaigns/new": _office_admin,
    "/audit": _audit,
    "/auth": _sign_in_out,
    "/ogc": _public,
    "/opendata": _public,
    "/tiles/": _public,
    "/layers/": _public,
    "/parcels/": _public,
    "/search": _public,
    "/free": _public,
    "/auctions": _public,
    "/about-data": _public,
    "/campaigns": _public,
    "/report": _public,
    "/reports/": _public,
    "/stats": _public,
    "/health": _public,
    "/ready": _public,
    "/static/": _public,
    "/webmap/static/": _public,
}
#: Endpoints whose access differs from their prefix, and pages with no prefix of their own.
ENDPOINTS = {
    "webmap.map_page": _public,
    "api.issue_token": _api_open,
    "api.openapi": _api_open,
    "api.who_am_i": _api_self,
    "api.revoke_token": _api_self,
    "api.open_campaign": _api_admin,
    "api.assign_campaign": _api_admin,
    "api.close_campaign": _api_admin,
    "office.assign_campaign": _office_admin,
    "office.close_campaign": _office_admin,
    "office.digest_opt_in": _office_self,
}


def classify(endpoint: str, rule: str):
    """The access rule of a route, or None when nobody has classified it yet."""
    if endpoint in ENDPOINTS:
        return ENDPOINTS[endpoint]
    matches = [
        prefix
        for prefix in PREFIXES
        if rule == prefix.rstrip("/")
        or rule.startswith(prefix.rstrip("/") + "/")
        or (prefix.endswith("/") is False and rule.startswith(prefix))
    ]
    return PREFIXES[max(matches, key=len)] if matches else None


def _routes() -> list[tuple[str, str, str]]:
    # Building the app touches no database (connections are lazy), so routes are known
    # at collection time and each one is its own test id.
    app = create_app(
        {
            "ENV": "test",
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_URL": "postgresql+psycopg://walk@127.0.0.1:1/walk",
        }
    )
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    return sorted(found, key=lambda item: (item[2], item[1]))


ROUTES = _routes()


def test_every_route_is_classified():
    missing = [
        f"{method} {rule} ({endpoint})"
        for endpoint, method, rule in ROUTES
        if classify(endpoint, rule) is None
    ]
    assert not missing, (
        "routes without an access rule; add them to PREFIXES or ENDPOINTS "
        "in tests/security/test_route_walk.py:\n  " + "\n  ".join(missing)
    )


def test_the_walk_covers_the_api_and_the_public_site():
    rules = {rule for _, _, rule in ROUTES}
    assert {"/", "/api/v1/parcels", "/health", "/search"} <= rules


def _meets(expectation: str, status: int, location: str, endpoint: str, rule: str) -> bool:
    if status >= 500:
        return False
    if expectation == OK:
        return 200 <= status < 400 or (status == 404 and may_be_missing(endpoint, rule))
    if expectation == ANSWERED:
        return status not in (401, 403)
    if expectation == DENIED:
        return status in (403, 404)
    if expectation == REFUSED:
        return status in (303, 400, 403, 404, 409, 422)
    if expectation == SEES_OR_DENIED:
        return (
            200 <= status < 400
            or status == 403
            or (status == 404 and may_be_missing(endpoint, rule))
        )
    if expectation == LOGIN:
        return status == 401 or (status in (302, 303) and "/auth/login" in location)
    return status == 401


@pytest.mark.parametrize("endpoint, method, rule", ROUTES, ids=[f"{m} {r}" for _, m, r in ROUTES])
def test_each_role_gets_what_the_table_says(app, connection, world, endpoint, method, rule):
    access = classify(endpoint, rule)
    if access is None:
        pytest.fail(f"{method} {rule} is not classified (see test_every_route_is_classified)")
    try:
        path, body = build_call(app, endpoint, rule, method, world)
    except VariableUnknown as exc:
        pytest.fail(str(exc))
    record = "_id>" in rule
    wrong = []
    for role in ROLES:
        expectation = access(method, role, record)
        savepoint = connection.begin_nested()
        try:
            response = _call(app, world, role, method, path, body)
            # Streamed bodies run now, inside the savepoint; binary ones read as text.
            text = response.get_data().decode("utf-8", "replace")
        finally:
            if savepoint.is_active:  # an app-side rollback may have ended it already
                savepoint.rollback()
        location = response.headers.get("Location", "")
        if not _meets(expectation, response.status_code, location, endpoint, rule):
            wrong.append(
                f"{role}: expected {expectation}, got {response.status_code} {text[:160]!r}"
            )
    assert not wrong, f"{method} {path}\n  " + "\n  ".join(wrong)


def _call(app, world, role: str, method: str, path: str, body):
    client = app.test_client()
    headers = {}
    if role != "public":
        if path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        else:
            f.signed_in(client, world.users[role])
    kwargs = {"json": body} if isinstance(body, dict) else {"data": body() if body else {}}
    if method == "GET":
        kwargs = {}
    return client.open(path, method=method, headers=headers, **kwargs)
