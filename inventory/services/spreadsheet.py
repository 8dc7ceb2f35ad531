"""Cells safe to open in Excel or LibreOffice: no formula injection.

A value written by a resident or an officer ("=HYPERLINK(...)", "+1+cmd|...") becomes a
live formula when an auditor opens the CSV or XLSX export. Every exporter passes each
text cell through `neutralise` so such a value shows as the text it is.
"""

from __future__ import annotations

#: First characters a spreadsheet reads as the start of a formula (or, for tab and carriage
#: return, as a cell break some importers then read as one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value, with a leading apostrophe if it is text a spreadsheet would run.

    Anything that is not a str (numbers, dates, None) is returned unchanged: a negative
    number is data, not a formula, and must stay a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(values):
    """`neutralise` applied to every cell of a row (a list of values)."""
    return [neutralise(value) for value in values]
