"""No crafted query parameter makes any page or API route answer 5xx.

Every GET route of the app (HTML pages, public ones included, the API, OGC, tiles, open
data) is called with every parameter name the app reads set to each of a list of values
that broke it before: Unicode digits that pass `str.isdigit()` but not `int()`, numbers
beyond bigint, NUL bytes, unknown codes, a quote, very long text, and names Flask's
`url_for` treats specially (`endpoint`, `_method`, `_scheme`, `_external`). Once as the
public and once signed in as an administrator (who reaches every page).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from tests import factories as f
from tests.security.test_route_walk import ROUTES
from tests.security.walk_values import VariableUnknown, build_call

#: The names of query parameters the app's routes read (pages, API, OGC, audit).
NAMES = (
    "page page_size limit offset q m municipality status kind category use zone sort dir "
    "order archived year month parcel_id lessee_id contract_id building_id lessee rule "
    "severity seen_from seen_to from to date bbox bbox-crs crs datetime f filter filter-lang "
    "sortby properties lang version basis type id code"
).split()
#: Values that made a route fail with 500 in an outside test, and their relatives.
VALUES = (
    "\u00b2",
    "\U0001d7cf",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e20",
    "-1",
    "\x00",
    "'",
    "x" * 3000,
    "[]",
    "2024-13-45",
    "1,2,3",
    "nan",
)
#: Names url_for takes as its own arguments: a page that passes request.args to it must
#: not fail on them.
SPECIAL = {
    "endpoint": "x",
    "_method": "DELETE",
    "_scheme": "https",
    "_external": "1",
    "_anchor": "x",
}

GETS = [(endpoint, rule) for endpoint, method, rule in ROUTES if method == "GET"]


@pytest.mark.slow
@pytest.mark.parametrize("endpoint, rule", GETS, ids=[rule for _, rule in GETS])
def test_no_crafted_parameter_makes_a_route_fail(app, world, endpoint, rule):
    try:
        path, _ = build_call(app, endpoint, rule, "GET", world)
    except VariableUnknown as exc:
        pytest.fail(str(exc))
    queries = [urlencode(SPECIAL)]
    queries += [urlencode({name: value for name in NAMES}) for value in VALUES]
    failures = []
    for role in ("public", "admin"):
        client = app.test_client()
        headers = {}
        if role == "admin":
            if path.startswith("/api/"):
                headers["Authorization"] = f"Bearer {world.tokens['admin']}"
            else:
                f.signed_in(client, world.users["admin"])
        for query in queries:
            separator = "&" if "?" in path else "?"
            response = client.get(path + separator + query, headers=headers)
            response.get_data()  # streamed bodies fail while they are sent
            if response.status_code >= 500:
                failures.append(f"{role}: ?{query[:90]} -> {response.status_code}")
    assert not failures, path + "\n  " + "\n  ".join(failures)


@pytest.mark.parametrize(
    "endpoint, rule",
    [(e, r) for e, r in GETS if "<int:" in r],
    ids=[r for e, r in GETS if "<int:" in r],
)
def test_an_id_beyond_bigint_in_a_path_is_not_found(app, world, endpoint, rule):
    try:
        path, _ = build_call(app, endpoint, rule, "GET", world)
    except VariableUnknown as exc:
        pytest.fail(str(exc))
    huge = "99999999999999999999"
    crafted = re.sub(r"<int:[a-z_]+>", huge, rule)
    crafted = build_call(app, endpoint, crafted, "GET", world)[0] if "<" in crafted else crafted
    client = app.test_client()
    f.signed_in(client, world.users["admin"])
    headers = {"Authorization": f"Bearer {world.tokens['admin']}"}
    response = client.get(crafted, headers=headers if crafted.startswith("/api/") else {})
    assert response.status_code == 404, (crafted, response.status_code)
