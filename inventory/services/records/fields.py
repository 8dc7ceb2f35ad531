"""Parsing the JSON of API clients into typed values, naming the field at fault.

Each parser takes the raw JSON value and returns the Python value or raises
ValidationError(field=name). No value ever reaches SQL except as a bound parameter.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.errors import ValidationError

Parser = Callable[[so.Session, str, Any], Any]


def text(max_length: int | None = None, required: bool = False) -> Parser:
    def parse(_session, name, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise ValidationError("required", field=name)
            return None
        if not isinstance(value, str):
            raise ValidationError("expected text", field=name)
        value = value.strip()
        if max_length and len(value) > max_length:
            raise ValidationError("at most %(length)s characters", field=name, length=max_length)
        return value

    return parse


def decimal(positive: bool = True, required: bool = False) -> Parser:
    def parse(_session, name, value):
        if value is None or value == "":
            if required:
                raise ValidationError("required", field=name)
            return None
        if isinstance(value, bool):
            raise ValidationError("expected a number", field=name)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError("expected a number", field=name) from None
        if not number.is_finite() or (positive and number <= 0) or number < 0:
            if positive:
                raise ValidationError("expected a positive number", field=name)
            raise ValidationError("expected a number not below zero", field=name)
        return number

    return parse


#: The whole numbers a PostgreSQL integer column holds: the bounds of every integer a
#: write accepts (an id beyond them reached a query and failed there with a 500).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def integer(low: int | None = None, high: int | None = None) -> Parser:
    """A whole number from `low` to `high`, within an integer column's range either way."""
    low = INT_MIN if low is None else max(low, INT_MIN)
    high = INT_MAX if high is None else min(high, INT_MAX)

    def parse(_session, name, value):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("expected a whole number", field=name)
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(
                "expected a number from %(low)s to %(high)s", field=name, low=low, high=high
            )
        return value

    return parse


def date(required: bool = False) -> Parser:
    def parse(_session, name, value):
        if value is None or value == "":
            if required:
                raise ValidationError("required", field=name)
            return None
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValidationError("expected a date as YYYY-MM-DD", field=name) from None

    return parse


def boolean() -> Parser:
    def parse(_session, name, value):
        if not isinstance(value, bool):
            raise ValidationError("expected true or false", field=name)
        return value

    return parse


def choice(enum_cls: type[enum.Enum]) -> Parser:
    def parse(_session, name, value):
        if value is None:
            return None
        try:
            return enum_cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum_cls)
            raise ValidationError(
                "expected one of: %(allowed)s", field=name, allowed=allowed
            ) from None

    return parse


def code_of(model) -> Parser:
    """A reference table row named by its `code` (land use, land category): its id."""

    def parse(session, name, value):
        if value is None:
            return None
        found = session.scalar(sa.select(model.id).where(model.code == str(value)))
        if found is None:
            raise ValidationError("unknown code '%(code)s'", field=name, code=value)
        return found

    return parse


def parse(
    session: so.Session,
    data: Mapping[str, Any],
    spec: Mapping[str, Parser],
    *,
    required: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The fields present in `data`, parsed; unknown fields and missing required ones fail.

    Fields absent from `data` are absent from the result, so a PATCH changes only what
    the client sent.
    """
    if not isinstance(data, Mapping):
        raise ValidationError("expected a JSON object")
    for name in data:
        if name not in spec and name not in ignore:
            raise ValidationError("unknown field", field=name)
    for name in required:
        if data.get(name) in (None, ""):
            raise ValidationError("required", field=name)
    return {name: spec[name](session, name, data[name]) for name in data if name in spec}
