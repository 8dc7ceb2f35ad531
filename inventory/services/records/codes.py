"""Identification codes checked one way everywhere: the office forms, the API and imports.

A municipality's `code_pattern` is a regular expression; PostgreSQL decides whether a
code matches it (as the `dq_bad_code` anomaly rule does), so a code accepted on a form
is never flagged by the scan. A refused code is answered with an example made from the
pattern itself, so the officer sees what their own city's codes look like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.privacy import N_

try:  # Python 3.11 names the regular expression parser re._parser
    from re import _parser as _sre
except ImportError:  # pragma: no cover
    import sre_parse as _sre  # type: ignore[no-redef]


#: The message of a refused code, with `example` (pybabel extracts it from here).
MESSAGE = N_(
    "the identification code does not match the pattern of the municipality (e.g. %(example)s)"
)
_DIGITS = "0123456789"


@lru_cache(maxsize=64)
def example(pattern: str) -> str:
    """A code that matches `pattern` (`^5-08-\\d{2}-\\d{3,4}-\\d{3,4}$` gives
    5-08-01-2345-6789); the pattern itself when no example can be made from it."""
    try:
        made = "".join(_walk(_sre.parse(pattern), iter(_digits())))
    except (re.error, ValueError, StopIteration, TypeError):
        return pattern
    return made if re.fullmatch(pattern, made) else pattern


def _digits():
    while True:
        yield from _DIGITS


def _walk(items, digits) -> Iterable[str]:
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            yield chr(arg)
        elif name == "IN":
            yield _one_of(arg, digits)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, inner = arg
            if high == _sre.MAXREPEAT:
                count = max(low, 2)
            else:
                count = high if high <= 6 else max(low, 1)
            for _ in range(count):
                yield from _walk(inner, digits)
        elif name == "SUBPATTERN":
            yield from _walk(arg[-1], digits)
        elif name == "BRANCH":
            yield from _walk(arg[1][0], digits)
        elif name == "AT":
            continue
        elif name == "ANY":
            yield "x"
        else:
            raise ValueError(name)


def _one_of(items, digits) -> str:
    for op, arg in items:
        name = str(op)
        if name == "CATEGORY" and "DIGIT" in str(arg) and "NOT" not in str(arg):
            return next(digits)
        if name == "RANGE":
            low, high = arg
            return chr(low) if not chr(low).isdigit() else next(digits)
        if name == "LITERAL":
            return chr(arg)
    raise ValueError("class")


def municipality_patterns(session: so.Session, municipality_ids: Iterable[int]) -> dict[int, str]:
    """{municipality id: code pattern} of these municipalities."""
    ids = sorted({int(i) for i in municipality_ids if i is not None})
    if not ids:
        return {}
    rows = session.execute(
        sa.text("SELECT id, code_pattern FROM municipality WHERE id = ANY(:ids)"), {"ids": ids}
    )
    return dict(rows.all())


def bad_codes(session: so.Session, pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """The (municipality id, code) pairs whose code does not match the municipality's
    pattern, each with the example to show; one statement for a whole file."""
    pairs = [(int(m), str(c)) for m, c in pairs if m is not None and c is not None]
    if not pairs:
        return {}
    rows = session.execute(
        sa.text(
            "SELECT p.m, p.c, mu.code_pattern FROM unnest(CAST(:ms AS int[]), "
            "CAST(:cs AS text[])) AS p(m, c) JOIN municipality mu ON mu.id = p.m "
            "WHERE p.c !~ mu.code_pattern"
        ),
        {"ms": [m for m, _ in pairs], "cs": [c for _, c in pairs]},
    )
    return {(m, c): example(pattern) for m, c, pattern in rows}
