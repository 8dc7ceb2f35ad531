"""The one navigation of every page, by role.

`ITEMS` is the only list of where a user can go: the public pages for everyone, the
workspace, the records, the anomaly pages and the tools by role, and the account menu.
base.html draws it through templates/_nav.html; tests read the same list, so a page
that gets a route but no place here is caught.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from inventory.models import Role

ANYONE = frozenset({None, Role.ADMIN, Role.OFFICER, Role.AUDITOR})
SIGNED_IN = frozenset({Role.ADMIN, Role.OFFICER, Role.AUDITOR})
EDITORS = frozenset({Role.ADMIN, Role.OFFICER})
ADMINS = frozenset({Role.ADMIN})
VISITORS = frozenset({None})

#: The groups, in the order the navigation shows them. "account" is the user menu.
GROUPS = {
    "public": _l("Public"),
    "work": _l("Work"),
    "records": _l("Records"),
    "audit": _l("Audit"),
    "tools": _l("Tools"),
    "account": _l("Your account"),
}


@dataclass(frozen=True)
class Item:
    """One link: the endpoint it opens, its label, who sees it and in which group.

    `prefix` is the start of the paths that count as "this item's pages" (marked as the
    current place); by default the item's own path.
    """

    key: str
    endpoint: str
    label: Any
    roles: frozenset
    group: str
    values: dict = field(default_factory=dict)
    prefix: str | None = None
    css: str = ""


def _records(kind: str, label) -> Item:
    return Item(
        kind,
        "office.records",
        label,
        SIGNED_IN,
        "records",
        {"name": kind},
        prefix=f"/office/{kind}/",
    )


ITEMS: tuple[Item, ...] = (
    Item("map", "webmap.map_page", _l("Map"), ANYONE, "public", prefix="/"),
    Item("free", "webmap.free_page", _l("Plots free to lease"), ANYONE, "public"),
    Item("public-auctions", "webmap.auctions_page", _l("Auctions"), VISITORS, "public"),
    Item("stats", "main.stats_page", _l("Figures"), VISITORS, "public"),
    Item("opendata", "opendata.index", _l("Open data"), VISITORS, "public"),
    Item("about", "webmap.about_data_page", _l("About the data"), VISITORS, "public"),
    Item("sign-in", "auth.login", _l("Sign in"), VISITORS, "public"),
    Item("home", "office.home", _l("Workspace"), SIGNED_IN, "work", css="office-link"),
    Item("flags", "audit.flag_list", _l("Anomalies"), SIGNED_IN, "audit", prefix="/audit/flags"),
    Item("dashboard", "audit.dashboard_page", _l("Dashboard"), SIGNED_IN, "audit"),
    Item("reports", "office.reports", _l("Citizen reports"), SIGNED_IN, "work"),
    _records("parcels", _l("Parcels")),
    _records("buildings", _l("Buildings")),
    _records("lessees", _l("Lessees")),
    _records("contracts", _l("Contracts")),
    _records("payments", _l("Payments")),
    _records("inspections", _l("Inspections")),
    Item("campaigns", "office.campaigns", _l("Review campaigns"), SIGNED_IN, "work"),
    Item("auctions", "office.auctions", _l("Auctions"), SIGNED_IN, "work"),
    Item("visit", "office.inspection_visit", _l("Inspection visit"), EDITORS, "tools"),
    Item("import", "office.import_start", _l("Import"), EDITORS, "tools"),
    Item(
        "statement-lines",
        "office.statement_lines_page",
        _l("Statement lines to assign"),
        SIGNED_IN,
        "tools",
    ),
    Item("digest", "office.digest", _l("Daily e-mail digest"), SIGNED_IN, "tools"),
    Item("synonyms", "office.synonyms", _l("Names of reference values"), ADMINS, "tools"),
    Item("users", "office.users", _l("Users"), ADMINS, "account"),
    Item("password", "auth.change_password", _l("Change my password"), SIGNED_IN, "account"),
)


def items_for(role: Role | str | None) -> list[Item]:
    """The items a user of `role` sees (None: a visitor who is not signed in)."""
    role = Role(role) if role else None
    return [item for item in ITEMS if role in item.roles]


@dataclass(frozen=True)
class Link:
    key: str
    href: str
    label: str
    current: bool
    css: str


def links(role: Role | str | None, url: Callable[..., str] = url_for) -> dict[str, list[Link]]:
    """The items of `role` grouped as GROUPS orders them, with their addresses and the
    one that holds the page being shown marked `current`."""
    path = request.path
    built = []
    for item in items_for(role):
        href = url(item.endpoint, **item.values)
        prefix = item.prefix or href
        matched = path == prefix if prefix == "/" else path.startswith(prefix)
        built.append((item, href, len(prefix) if matched else -1))
    best = max((length for _, _, length in built), default=-1)
    grouped: dict[str, list[Link]] = {group: [] for group in GROUPS}
    for item, href, length in built:
        grouped[item.group].append(
            Link(item.key, href, str(item.label), best >= 0 and length == best, item.css)
        )
    return {group: found for group, found in grouped.items() if found}


def register(app) -> None:
    """`navigation()` in every template: the signed-in user's links (see `links`)."""

    @app.context_processor
    def _navigation():
        from flask_login import current_user

        def navigation() -> dict[str, list[Link]]:
            role = current_user.role if current_user and current_user.is_authenticated else None
            return links(role)

        return {"navigation": navigation, "navigation_groups": GROUPS}
