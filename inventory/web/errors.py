"""One error handler for the whole app: JSON for API clients, a page for people.

Database outages answer 503 with a plain message, never a traceback.
"""

from __future__ import annotations

import logging

import sqlalchemy.exc as sa_exc
from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from inventory.services.errors import DomainError

log = logging.getLogger(__name__)


#: Titles and explanations people see, in their language, per HTTP status.
TITLES = {
    400: _l("Bad request"),
    401: _l("Sign-in required"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Too large"),
    429: _l("Too many requests"),
    500: _l("Server error"),
    503: _l("Service unavailable"),
}
MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in to continue."),
    403: _l("Your role does not allow this."),
    404: _l("There is nothing at this address."),
    405: _l("This address does not accept that kind of request."),
    409: _l("Someone else changed this record; reload it and try again."),
    413: _l("The upload is larger than allowed."),
    429: _l("Too many attempts; please wait a little and try again."),
    500: _l("Something went wrong on our side. The error has been logged."),
    503: _l("The database is not reachable right now. Please try again in a few minutes."),
}


def asks_for_html() -> bool:
    """Whether a request to /ogc wants a page: `f=html`, or no `f` and an Accept header
    that prefers HTML to JSON (a browser's). JSON otherwise, as OGC API clients expect."""
    chosen = request.args.get("f")
    if chosen:
        return chosen == "html"
    best = request.accept_mimetypes.best_match(
        ["application/json", "application/geo+json", "text/html"], default="application/json"
    )
    return (
        best == "text/html"
        and request.accept_mimetypes[best] > request.accept_mimetypes["application/json"]
    )


def wants_json() -> bool:
    """API paths and clients that prefer JSON get JSON errors; /ogc answers a person
    reading its pages (asks_for_html) with a page."""
    if request.path.startswith("/ogc"):
        return not asks_for_html()
    if request.path.startswith(("/api/", "/health")):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _respond(
    status: int,
    title: str,
    message: str | None = None,
    field: str | None = None,
    page_message: str | None = None,
):
    """JSON with the English `message` for API clients; a page for people, showing
    `page_message` (the message in their language) where there is one."""
    title = str(TITLES.get(status, title))
    if wants_json():
        body = {"error": title, "message": message or str(MESSAGES.get(status, title))}
        if field:
            body["field"] = field
        return jsonify(body), status
    message = page_message or message or str(MESSAGES.get(status, title))
    return render_template("error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        # Werkzeug's default descriptions are English only; ours are translated. A
        # description set on purpose (abort(404, "...")) is kept.
        default = type(exc).description
        custom = exc.description if exc.description != default else None
        return _respond(exc.code or 500, exc.name, custom)

    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        # A service refused on purpose: its status (400/403/404/409...), its message and
        # the field at fault, so a client can point at the input. API clients read the
        # English message; a page shows it in the reader's language.
        return _respond(
            exc.status, type(exc).__name__, exc.message, exc.field, page_message=exc.localized()
        )

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.InterfaceError)
    def _database_down(exc):
        log.warning("database unavailable: %s", exc)
        return _respond(ServiceUnavailable.code, "Service Unavailable")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _respond(InternalServerError.code, "Internal Server Error")
