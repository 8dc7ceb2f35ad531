"""Security headers on every response.

The Content-Security-Policy allows only this site, plus the configured base-map tile
host for images (residents' browsers fetch those tiles directly). Pages that still carry
an inline script are listed in INLINE_SCRIPT_ENDPOINTS and get 'unsafe-inline' for
scripts only; move that script to a static file and the entry can go. The list names
single pages, not blueprints: the parcel cards, reports and lists beside the map show
residents' and officers' text and keep the strict policy.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from inventory.web.maps import basemap

#: Pages that still have an inline <script>: the public map's folium script. (The office
#: maps allow theirs in inventory/office.)
INLINE_SCRIPT_ENDPOINTS = frozenset({"webmap.map_page"})


def basemap_origin(url: str | None) -> str | None:
    """The scheme://host of a Leaflet tile template, or None when there is no base map.

    Template placeholders in the host ("{s}.tile.example.org") become a wildcard; the
    setting is read by inventory.web.maps.basemap, like every map of the app reads it.
    """
    found = basemap(url)
    return found.origin if found else None


def content_security_policy(basemap_url: str | None, inline_scripts: bool = False) -> str:
    images = ["'self'", "data:"]
    origin = basemap_origin(basemap_url)
    if origin:
        images.append(origin)
    scripts = "'self' 'unsafe-inline'" if inline_scripts else "'self'"
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
    inline = request.endpoint in INLINE_SCRIPT_ENDPOINTS
    response.headers.setdefault(
        "Content-Security-Policy",
        content_security_policy(current_app.config.get("BASEMAP_URL"), inline_scripts=inline),
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def register(app: Flask) -> None:
    app.after_request(_add_headers)
