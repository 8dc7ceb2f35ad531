"""One navigation on every page, by role (inventory/web/navigation.py)."""

from __future__ import annotations

import re

import pytest

from inventory.models import Role
from inventory.web.navigation import ITEMS, items_for

#: Pages reached from another page rather than from the navigation.
NOT_IN_NAVIGATION = {
    "office.new_lot",
    "office.new_campaign",
    "office.flag_records",
    "audit.export_report",
    "audit.flag_map_script",
    "auth.logout",
    "webmap.report_sent",
    "office.lookup_parcels_on_map",  # the pickers' map data
}


def test_every_item_opens_a_page_of_the_app(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {item.endpoint for item in ITEMS} <= endpoints


def test_every_workspace_page_without_parameters_has_a_place(app):
    listed = {item.endpoint for item in ITEMS}
    missing = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("office", "audit")
        and "GET" in rule.methods
        and not rule.arguments
        and not re.search(r"\.(csv|xlsx|geojson|js|json)$", rule.rule)
    }
    assert missing - listed - NOT_IN_NAVIGATION == set()


@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        (None, {"map", "sign-in"}, {"home", "flags", "users"}),
        (Role.OFFICER, {"home", "flags", "dashboard", "reports", "import"}, {"users", "sign-in"}),
        (Role.AUDITOR, {"home", "flags", "dashboard"}, {"import", "visit", "users", "synonyms"}),
        (Role.ADMIN, {"home", "flags", "users", "synonyms", "import"}, {"sign-in"}),
    ],
)
def test_items_by_role(role, sees, does_not_see):
    keys = {item.key for item in items_for(role)}
    assert sees <= keys
    assert not keys & does_not_see


def test_an_officer_finds_the_anomalies_from_every_page(sign_in):
    client = sign_in("officer_osh")
    for path in ("/office/?lang=en", "/office/parcels/?lang=en", "/audit/dashboard?lang=en"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/audit/flags"' in page, path
        assert 'href="/audit/dashboard"' in page, path
        assert 'href="/office/users"' not in page, path


def test_the_page_being_shown_is_marked_current(sign_in):
    page = sign_in("admin").get("/office/contracts/?lang=en").get_data(as_text=True)
    assert re.search(r'class="nav-contracts"\s+aria-current="page"', page)
    assert 'href="/office/users"' in page
    assert page.count('aria-current="page"') == 1


def test_a_visitor_is_offered_the_sign_in(client):
    page = client.get("/free?lang=en").get_data(as_text=True)
    assert 'href="/auth/login"' in page
    assert 'class="skip-link"' in page
    assert "/audit/flags" not in page
