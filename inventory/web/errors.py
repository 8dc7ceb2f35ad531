"""One error handler for the whole app: JSON for API clients, a page for people.

Database outages answer 503 with a plain message, never a traceback.
"""
from __future__ import annotations

import logging

import sqlalchemy.exc as sa_exc
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """API paths and clients that prefer JSON get JSON errors."""
    if request.path.startswith(("/api/", "/ogc", "/health")):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > \
        request.accept_mimetypes["text/html"]


def _respond(status: int, title: str, message: str, field: str | None = None):
    if wants_json():
        body = {"error": title, "message": message}
        if field:
            body["field"] = field
        return jsonify(body), status
    return render_template("error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return _respond(exc.code or 500, exc.name, exc.description or exc.name)

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.InterfaceError)
    def _database_down(exc):
        log.warning("database unavailable: %s", exc)
        return _respond(ServiceUnavailable.code, "Service Unavailable",
                        _("The database is not reachable right now. Please try again in "
                          "a few minutes."))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _respond(InternalServerError.code, "Internal Server Error",
                        _("Something went wrong on our side. The error has been logged."))
