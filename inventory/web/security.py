"""Security headers on every response.

The Content-Security-Policy allows only this site, plus the configured base-map tile
host for images (residents' browsers fetch those tiles directly). No page may run an
inline script by being inline ('unsafe-inline' is never sent): a page that needs one (the
folium maps write theirs inline) marks each of its <script> tags with this request's
nonce, `csp_nonce()` (a template global; inventory.web.maps.render_map marks folium's
tags), and only then does the policy name that nonce. A script slipped into an address or
a report therefore never runs, even where escaping failed; inline event handlers
(onclick=) never run either.
"""

from __future__ import annotations

import functools

from flask import Flask, Response, current_app

from inventory.web.maps import basemap
from inventory.web.nonce import csp_nonce, used_nonce


def basemap_origin(url: str | None) -> str | None:
    """The scheme://host of a Leaflet tile template, or None when there is no base map.

    Template placeholders in the host ("{s}.tile.example.org") become a wildcard; the
    setting is read by inventory.web.maps.basemap, like every map of the app reads it.
    """
    found = basemap(url)
    return found.origin if found else None


@functools.lru_cache(maxsize=8)
def _policy_without_nonce(basemap_url: str | None) -> str:
    """The policy of an answer that names no nonce (a tile, JSON, most pages), made once
    per base map setting instead of on every answer."""
    return content_security_policy(basemap_url)


def content_security_policy(basemap_url: str | None, nonce: str | None = None) -> str:
    images = ["'self'", "data:"]
    origin = basemap_origin(basemap_url)
    if origin:
        images.append(origin)
    scripts = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src {' '.join(images)}",
            f"script-src {scripts}",
            # Leaflet and the map legend position elements with inline styles.
            "style-src 'self' 'unsafe-inline'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _add_headers(response: Response) -> Response:
    basemap_url, nonce = current_app.config.get("BASEMAP_URL"), used_nonce()
    response.headers.setdefault(
        "Content-Security-Policy",
        content_security_policy(basemap_url, nonce)
        if nonce
        else _policy_without_nonce(basemap_url),
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def register(app: Flask) -> None:
    app.after_request(_add_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
