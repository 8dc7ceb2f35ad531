"""Tiles an officer sees are never older than their own last edit.

Public tiles may be reused by a browser for a minute (`Cache-Control: public,
max-age=60`): residents lose nothing by a minute's delay, and the server is spared. An
officer who has just redrawn, archived or restored a parcel must see it at once, so for
a signed-in user every tile answer is `private, no-cache`: the browser asks again each
time, and the tile's ETag turns an unchanged tile into a 304 without a body.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

from inventory.web.auth import may_be_signed_in

MVT_MIMETYPE = "application/vnd.mapbox-vector-tile"


def is_tile(response: Response) -> bool:
    """Whether the answer is a vector tile (made, empty or unchanged)."""
    return response.mimetype == MVT_MIMETYPE or request.path.endswith(".pbf")


def register(app: Flask) -> None:
    @app.after_request
    def _fresh_tiles_for_the_signed_in(response: Response) -> Response:
        if not is_tile(response):
            return response
        # Whether signed in or not, the cookie decides the answer's caching: a shared
        # cache must not hand a resident's public tile to an officer.
        response.vary.add("Cookie")
        if may_be_signed_in() and current_user.is_authenticated:
            response.cache_control.public = False
            response.cache_control.private = True
            response.cache_control.no_cache = True
            response.cache_control.max_age = 0
        return response
