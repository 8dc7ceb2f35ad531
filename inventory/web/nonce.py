"""This request's script nonce: the one value a page's own <script> tags carry so the
Content-Security-Policy (inventory.web.security), which never allows 'unsafe-inline',
runs them. Made on first use; the policy names it only on pages that used it."""

from __future__ import annotations

import secrets

from flask import g


def csp_nonce() -> str:
    """This request's script nonce (a template global, and for folium's tags:
    inventory.web.maps.render_map)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def used_nonce() -> str | None:
    """The nonce this request's page used, if any."""
    return g.get("csp_nonce")
