"""The OpenAPI document describes every route of the API and every field it accepts."""

from __future__ import annotations

import re

import pytest

from inventory.api.openapi import FIELDS, REQUIRED
from inventory.services.records import KINDS


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_openapi_covers_every_route_and_method(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = document["paths"].get(_openapi_path(rule.rule), {})
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in path:
                missing.append(f"{method} {rule.rule}")
    assert missing == []


def test_openapi_has_no_routes_the_app_lacks(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    rules = {_openapi_path(r.rule) for r in app.url_map.iter_rules()}
    assert set(document["paths"]) <= rules


@pytest.mark.parametrize("name", sorted(KINDS))
def test_openapi_bodies_list_the_fields_the_services_accept(name):
    kind = KINDS[name]
    accepted = set(kind.spec) | set(kind.extra_fields)
    assert accepted <= set(FIELDS[name]), accepted - set(FIELDS[name])
    assert set(REQUIRED[name]) == set(kind.required)


def test_every_operation_documents_its_errors(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if operation.get("security") == []:
                continue
            assert "401" in operation["responses"], f"{method} {path}"
