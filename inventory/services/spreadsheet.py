"""Cells safe to open in Excel or LibreOffice (no formula injection), and the CSV and
XLSX writers of the office lists' exports.

A value written by a resident or an officer ("=HYPERLINK(...)", "+1+cmd|...") becomes a
live formula when an auditor opens the CSV or XLSX export. Every exporter passes each
text cell through `neutralise` so such a value shows as the text it is.
"""

from __future__ import annotations

import datetime as dt

from inventory.services import localtime

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


def _text(value):
    # A moment as ISO 8601 in Bishkek time with its offset; str() would drop the "T".
    return localtime.iso(value) if isinstance(value, dt.datetime) else value


def _cell(sheet, value):
    # A cell holds no zone: a moment is Bishkek wall time, and its format says so.
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, dt.datetime):
        return neutralise(value)
    cell = WriteOnlyCell(sheet, value=localtime.wall(value))
    cell.number_format = localtime.XLSX_FORMAT
    return cell


def csv_chunks(header: list[str], rows, every: int = 200):
    """CSV text of `rows` (lists of cells) in chunks: a UTF-8 byte order mark first (so
    Excel reads the Cyrillic right), the header, then the rows, formulas neutralised and
    moments in Bishkek time with +06:00."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow(neutralise_row([_text(value) for value in row]))
        if n % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def write_xlsx(header: list[str], rows, target, sheet_title: str = "list") -> int:
    """`rows` (lists of cells) as an XLSX workbook in openpyxl's write-only mode: bold
    header frozen, autofilter over all rows, formulas neutralised, numbers and dates
    as typed cells, moments as Bishkek wall time labelled UTC+06:00. Returns the number
    of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{count + 1}"
    workbook.save(target)
    return count
