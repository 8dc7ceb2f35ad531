"""Checks every request's parameters pass before any view reads them.

A NUL character is never part of a code, a name, an address or a number, and
PostgreSQL refuses it in any text: a `?q=%00` used to reach a query and fail there
with a 500. Such a request is refused here, once for every route, with 400.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext
from werkzeug.exceptions import BadRequest


def _has_nul() -> bool:
    if "\x00" in request.path:
        return True
    for values in (request.args, request.form if request.mimetype != "application/json" else {}):
        for key, value in values.items(multi=True) if values else ():
            if "\x00" in key or "\x00" in value:
                return True
    return False


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_nul_characters():
        if _has_nul():
            raise BadRequest(
                gettext("A parameter contains a NUL character, which no value may hold.")
            )
