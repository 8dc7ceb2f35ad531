"""A resident's kept tile answered before Flask runs.

The public map asks for dozens of tiles per view, and a kept one costs one index lookup
(inventory.services.public.tile_cache); Flask's request machinery around it (contexts,
the before/after hooks of logging, sign-in, security and freshness) cost more than the
lookup. This WSGI middleware answers exactly one case and hands every other request to
Flask untouched:

- GET or HEAD of `/tiles/parcels/{z}/{x}/{y}.pbf` or `/tiles/buildings/...` (the public
  map's routes, webmap/views.py), with no query string and no session cookie (an
  officer's tiles are private: inventory.web.freshness), tiles kept (TILE_CACHE_TILES >
  0) on the main database (no PUBLIC_DATABASE_URL: a replica keeps no tiles);
- z/x/y inside the pyramid and from tiles.MIN_ZOOM on, the tile found kept by the same
  lone read Flask's path runs (inventory.web.tiles._tile).

Anything else passes on: an impossible tile (Flask's 404), a miss (Flask makes and keeps
the tile), a database error (Flask's 503). The answer carries what Flask's carries for the
same kept tile (tests/webmap/test_tile_fast_path.py compares them): status 200, 304 on a
matching If-None-Match or 204 for an empty tile; ETag, Cache-Control, `Vary: Cookie`, the
security headers (made by inventory.web.security itself), an X-Request-ID and the access
log line by inventory.logging_setup's rules; no Set-Cookie and no Date (the server's).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, g
from werkzeug.http import is_resource_modified, parse_cookie, quote_etag

from inventory.database.session import get_database, get_public_database, lone_read
from inventory.logging_setup import _SANE_ID, _quiet
from inventory.services.public import tile_cache, tiles
from inventory.web import security
from inventory.web.tiles import CORS, MVT_MIMETYPE, TILE_MAX_AGE

_TILE_PATH = re.compile(
    rf"^/tiles/({tiles.LAYER}|{tiles.BUILDING_LAYER})/([0-9]{{1,3}})/([0-9]{{1,8}})/([0-9]{{1,8}})\.pbf$"
)
_CACHE_CONTROL = f"public, max-age={TILE_MAX_AGE}"
access = logging.getLogger("inventory.access")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class TileFastPath:
    """The WSGI app answering a resident's kept tile itself (see the module); `answered`
    counts its own answers, so a test can tell that it ran."""

    def __init__(self, app: Flask, wsgi_app: WsgiApp):
        self.app, self.wsgi_app = app, wsgi_app
        self.answered = 0
        self._security: dict[str | None, list[tuple[str, str]]] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        started = time.perf_counter()
        answer = self._answer(environ)
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        given = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        headers.append(("X-Request-ID", request_id))
        self.answered += 1
        start_response(status, headers)
        code, path = int(status[:3]), environ["PATH_INFO"]
        if not _quiet(path, code, started):
            self._log(environ, request_id, code, started)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _answer(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """(status, headers, body) of the kept tile, or None to let Flask answer."""
        config = self.app.config
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
            return None
        found = _TILE_PATH.match(environ.get("PATH_INFO", ""))
        if found is None or config["TILE_CACHE_TILES"] <= 0:
            return None
        cookie = environ.get("HTTP_COOKIE")
        if cookie and config["SESSION_COOKIE_NAME"] in parse_cookie(cookie):
            return None
        if get_public_database(self.app) is not None:
            return None
        layer, (z, x, y) = found[1], (int(n) for n in found.groups()[1:])
        try:
            tiles.check_tile(z, x, y)
        except tiles.TileRangeError:
            return None
        if z < tiles.MIN_ZOOM:
            return None
        try:
            tile = lone_read(
                lambda connection: tile_cache.kept_tile(connection, layer, z, x, y),
                get_database(self.app),
            )
        except sa.exc.SQLAlchemyError:
            return None  # Flask meets the same error and answers it its own way (503)
        if tile is None:
            return None
        return self._kept(environ, tile, config.get("BASEMAP_URL"))

    def _kept(self, environ: dict[str, Any], tile: tile_cache.Tile, basemap_url: str | None):
        """The answer to a kept tile, in the order and form Flask's answer has."""
        common = [("Cache-Control", _CACHE_CONTROL), CORS, ("Vary", "Cookie")]
        common += self._security_headers(basemap_url)
        if not tile.data:
            return "204 NO CONTENT", common, b""
        etag = quote_etag(tile.etag)
        if not is_resource_modified(environ, etag=etag):
            return "304 NOT MODIFIED", [("ETag", etag), *common], b""
        headers = [
            ("Content-Type", MVT_MIMETYPE),
            ("Content-Length", str(len(tile.data))),
            ("ETag", etag),
            *common,
        ]
        return "200 OK", headers, tile.data

    def _security_headers(self, basemap_url: str | None) -> list[tuple[str, str]]:
        """The headers inventory.web.security adds to an answer without a nonce, made by
        it once per base map setting."""
        if basemap_url not in self._security:
            with self.app.app_context():
                made = security._add_headers(Response())
            names = ("Content-Security-Policy", "X-Content-Type-Options")
            names += ("Referrer-Policy", "X-Frame-Options")
            self._security[basemap_url] = [(name, made.headers[name]) for name in names]
        return list(self._security[basemap_url])

    def _log(self, environ: dict[str, Any], request_id: str, status: int, started: float):
        """The access line Flask's path writes for a slow tile (logging_setup._finish)."""
        with self.app.request_context(environ):
            g.request_id = request_id
            access.info(
                "%s %s %s",
                environ["REQUEST_METHOD"],
                environ["PATH_INFO"],
                status,
                extra={
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )


def install(app: Flask) -> None:
    """Put the fast path in front of the app's WSGI callable (and of ProxyFix when set:
    nothing it answers depends on the forwarded address, host or scheme)."""
    app.wsgi_app = TileFastPath(app, app.wsgi_app)
