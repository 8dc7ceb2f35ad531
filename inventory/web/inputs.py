"""Checks every request's parameters pass before any view reads them.

A NUL character is never part of a code, a name, an address or a number, and
PostgreSQL refuses it in any text: a `?q=%00` used to reach a query and fail there
with a 500. Such a request is refused here, once for every route, with 400 naming the
parameter.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext
from werkzeug.exceptions import BadRequest

#: The sign-in form answers a name with a NUL like any unknown name (401, counted
#: towards the lockout), as the token API does: its answers must tell nothing more.
SIGN_IN_FORMS = {"auth.login"}


def _parameter_with_nul() -> str | None:
    """The name of the first parameter (query or form) holding a NUL, or None."""
    if "\x00" in request.path:
        return "path"
    form = request.form if request.mimetype != "application/json" else None
    if request.endpoint in SIGN_IN_FORMS:
        form = None
    for values in (request.args, form):
        for key, value in values.items(multi=True) if values else ():
            if "\x00" in key or (isinstance(value, str) and "\x00" in value):
                return key.replace("\x00", "")
    return None


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_nul_characters():
        name = _parameter_with_nul()
        if name is not None:
            raise BadRequest(
                gettext(
                    "The parameter %(name)s contains a NUL character, which no value may hold.",
                    name=name,
                )
            )
