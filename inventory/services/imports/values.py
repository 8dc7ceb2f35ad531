"""Parsers for the values officers' files really hold.

Each parser takes the raw text (or a value a spreadsheet already typed) and returns the
Python value, or raises BadValue (a ValueError) with a message an officer understands.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa

from inventory.services.errors import filled


class BadValue(ValueError):
    """A value a parser cannot read: an English template with named parameters, put
    into the officer's language where the import report is shown (pybabel extracts the
    templates by this name)."""

    def __init__(self, template: str, **params):
        super().__init__(filled(template, params))
        self.template = template
        self.params = params

    @staticmethod
    def parts(exc: ValueError) -> tuple[str, dict[str, Any]]:
        """(template, parameters) of a parser's error: a BadValue's own, or any other
        ValueError's text without parameters."""
        if isinstance(exc, BadValue):
            return exc.template, exc.params
        return str(exc), {}


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")
_TRUE = {"true", "1", "yes", "да", "ооба", "y", "t", "+"}
_FALSE = {"false", "0", "no", "нет", "жок", "n", "f", "-"}


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def text(value) -> str:
    return str(value).strip()


def parse_date(value) -> dt.date:
    """dd.mm.yyyy (the usual), ISO yyyy-mm-dd, dd/mm/yyyy, or a spreadsheet date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    if "T" in raw or " " in raw:
        raw = raw.replace("T", " ").split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise BadValue("'%(value)s' is not a date (expected dd.mm.yyyy)", value=value)


def parse_decimal(value) -> Decimal:
    """Numbers (areas, amounts of som) like '12 500,00', '12500.00', '12,500.00' or a number."""
    if isinstance(value, (int, Decimal)):
        # A typed Decimal may be NaN or Infinity, which no amount is.
        if isinstance(value, Decimal) and not value.is_finite():
            raise BadValue("'%(value)s' is not a number", value=value)
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise BadValue("not a number")
        return Decimal(repr(value))
    raw = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    raw = raw.replace("сом", "").replace("som", "")
    if "," in raw and "." in raw:
        # The last separator is the decimal one: 12,500.00 or 12.500,00.
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise BadValue(
            "'%(value)s' is not a number (expected e.g. 12 500,00)", value=value
        ) from None
    if not number.is_finite():
        raise BadValue("'%(value)s' is not a number", value=value)
    return number


def parse_positive_decimal(value) -> Decimal:
    number = parse_decimal(value)
    if number <= 0:
        raise BadValue("must be greater than zero, got %(value)s", value=number)
    return number


def parse_non_negative_decimal(value) -> Decimal:
    number = parse_decimal(value)
    if number < 0:
        raise BadValue("must not be negative, got %(value)s", value=number)
    return number


def parse_int(value) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise BadValue("'%(value)s' is not a whole number", value=value)
    return int(number)


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    raw = str(value).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise BadValue("'%(value)s' is not yes/no", value=value)


def parse_float(value) -> float:
    return float(parse_decimal(value))


_INN = re.compile(r"^\d{14}$")


def parse_inn(value) -> str:
    """An ИНН of 14 digits (spaces ignored; a spreadsheet number keeps leading zeros lost,
    so a 13-digit number is padded only when the file typed it as a number)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise BadValue("'%(value)s' is not an ИНН of 14 digits", value=value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raw = f"{int(value):014d}"
    else:
        raw = re.sub(r"\s", "", str(value))
    if not _INN.match(raw):
        raise BadValue("'%(value)s' is not an ИНН of 14 digits", value=value)
    return raw


class Allowed:
    """The values a choice accepts, as an error message names them: the codes in the
    English message (what the API and files exchange), their names in the reader's
    language on a page (`localized()`)."""

    def __init__(self, codes: tuple[str, ...], labels: Mapping[str, Any] | None = None):
        self.codes = codes
        self.labels = labels or {}

    def __str__(self) -> str:
        return ", ".join(self.codes)

    def localized(self) -> str:
        return "; ".join(f"{self.labels.get(code, code)}" for code in self.codes)


def choice(*allowed: str, labels: Mapping[str, Any] | None = None):
    """A parser accepting one of `allowed` (case-insensitive); `labels` name the codes
    for the reader when a value is refused."""
    named = Allowed(allowed, labels)

    def parse(value) -> str:
        raw = str(value).strip().lower()
        if raw not in allowed:
            raise BadValue("'%(value)s' is not one of: %(allowed)s", value=value, allowed=named)
        return raw

    return parse


#: The range of each integer column type, as PostgreSQL stores it.
_INTEGER_BITS = ((sa.BigInteger, 63), (sa.SmallInteger, 15), (sa.Integer, 31))


def fit_check(column_type: sa.types.TypeEngine) -> Callable[[Any], None] | None:
    """The check that a parsed value fits a column of `column_type`, raising BadValue:
    a text longer than its length, a number with more digits before the point than its
    precision leaves, an integer out of its range; None for a type with no such limit.
    PostgreSQL would refuse the whole statement without saying which row; here the row
    and field are known. Built once per field, run for every value."""
    if isinstance(column_type, sa.String) and column_type.length:
        limit = column_type.length

        def text_fits(value) -> None:
            if isinstance(value, str) and len(value) > limit:
                raise BadValue(
                    "longer than %(limit)s characters (%(length)s)", limit=limit, length=len(value)
                )

        return text_fits
    if (
        isinstance(column_type, sa.Numeric)
        and not isinstance(column_type, sa.Float)
        and column_type.precision
    ):
        digits = column_type.precision - (column_type.scale or 0)
        bound = Decimal(10) ** digits

        def number_fits(value) -> None:
            if isinstance(value, Decimal) and abs(value) >= bound:
                raise BadValue(
                    "%(value)s is too large (at most %(digits)s digits before the decimal point)",
                    value=value,
                    digits=digits,
                )

        return number_fits
    if isinstance(column_type, sa.Integer):
        bits = next(b for kind, b in _INTEGER_BITS if isinstance(column_type, kind))

        def integer_fits(value) -> None:
            if isinstance(value, int) and not -(2**bits) <= value < 2**bits:
                raise BadValue("%(value)s is out of range", value=value)

        return integer_fits
    return None
