"""Exports cannot carry a formula into an auditor's spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from inventory.services.spreadsheet import neutralise, neutralise_row


@pytest.mark.parametrize(
    "raw",
    [
        '=HYPERLINK("http://evil","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(raw):
    assert neutralise(raw) == "'" + raw


@pytest.mark.parametrize(
    "value",
    [
        "ОсОО «Береке»",
        "ул. Ленина, 5",
        "",
        "a=b",
        " =1",
        -5,
        Decimal("-12.50"),
        3.5,
        None,
        dt.date(2025, 1, 1),
    ],
)
def test_ordinary_values_and_negative_numbers_are_unchanged(value):
    assert neutralise(value) == value


def test_a_neutralised_csv_row_reads_back_as_text():
    out = io.StringIO()
    csv.writer(out).writerow(neutralise_row(["=1+1", "Кафе", -3]))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "Кафе", "-3"]
