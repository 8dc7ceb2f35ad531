"""The public map's blueprint and the request helpers its route modules share."""

from __future__ import annotations

from flask import Blueprint, current_app

from inventory.i18n import current_language

bp = Blueprint(
    "webmap",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/webmap/static",
)


def municipality_places(session) -> list:
    """The municipalities with the extent to open each at, in the request's language,
    kept per app for MAP_EXTENT_CACHE_SECONDS (inventory.services.public.places)."""
    from inventory.services.public.places import cached_municipality_extents

    cache = current_app.extensions.setdefault("webmap.extents", {})
    return cached_municipality_extents(
        session, current_language(), cache, current_app.config["MAP_EXTENT_CACHE_SECONDS"]
    )
