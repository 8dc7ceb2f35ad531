"""Domain errors that services raise and the web layer maps to HTTP answers.

A message is an English template with named parameters,
`ValidationError("must be at least %(minimum)s", field=name, minimum=minimum)`: `.message`
is the English sentence (the API, logs and str() use it), `.localized()` the same sentence
in the language of the page. Every template is a literal, so `pybabel extract -k
ValidationError ...` (inventory/translations/README.md) finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask import has_request_context
from flask_babel import get_locale, gettext


def filled(template: str, params: Mapping[str, Any]) -> str:
    """The English sentence: `template` with its named parameters put in."""
    return template % params if params else template


def localized(template: str, params: Mapping[str, Any]) -> str:
    """The sentence in the language of the current request; English outside a request
    or where the catalog has no translation. A fractional number is written as that
    language writes it ("188,29 м²"); whole numbers (rows, years, codes) as they are."""
    if has_request_context():
        locale = get_locale() or "en"
        params = {
            k: format_decimal(v, locale=locale) if isinstance(v, float | Decimal) else v
            for k, v in params.items()
        }
    return gettext(template, **params)


class DomainError(Exception):
    """Base of every error a service raises on purpose. `field` names the culprit input."""

    status = 400

    def __init__(self, message: str, field: str | None = None, row: int | None = None, **params):
        super().__init__(filled(message, params))
        self.template = message
        self.params = params
        self.message = filled(message, params)
        self.field = field
        self.row = row

    def localized(self) -> str:
        """The message in the language of the current request (errors.localized)."""
        return localized(self.template, self.params)

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ValidationError(DomainError):
    status = 400


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409
