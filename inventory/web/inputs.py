"""Checks every request's parameters pass before any view reads them.

A NUL character is never part of a code, a name, an address or a number, and
PostgreSQL refuses it in any text: a `?q=%00` used to reach a query and fail there
with a 500. Such a request is refused here, once for every route, with 400 naming the
parameter. Likewise an id in a path beyond bigint matches no route.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

#: The largest id PostgreSQL's bigint holds.
BIGINT_MAX = 2**63 - 1


class BigintConverter(IntegerConverter):
    """`<int:...>` of every route: a whole number a bigint holds. A larger one matches
    no route (404), where it used to reach a query and fail there with a 500."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's own parameter name
        kwargs.setdefault("max", BIGINT_MAX)
        super().__init__(map, *args, **kwargs)


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
            if any(isinstance(text, str) and "\x00" in text for text in (key, value)):
                return str(key).replace("\x00", "")
    return None


def register(app: Flask) -> None:
    """Install the checks; call before any blueprint is registered (the converter is
    read when a route is added)."""
    app.url_map.converters["int"] = BigintConverter

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
