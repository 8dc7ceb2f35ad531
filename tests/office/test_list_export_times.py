"""An office list's export tells moments (when a record was archived) in Bishkek time:
ISO 8601 with +06:00 in CSV, wall time labelled UTC+06:00 in XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from tests import factories as f

#: 20:30 UTC on 1 March is already 02:30 on 2 March in Bishkek.
ARCHIVED = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)


def test_an_archived_records_moment_is_exported_in_bishkek_time(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh, ident_code="5-08-01-0001-0901")
    parcel.archived_at = ARCHIVED
    db_session.flush()
    client = sign_in("officer_osh")
    body = client.get("/office/parcels/export.csv?archived=only&lang=en").get_data(as_text=True)
    (row,) = csv.DictReader(io.StringIO(body.lstrip("\ufeff")))
    assert row["archived_at"] == "2026-03-02T02:30:00+06:00"
    book = load_workbook(
        io.BytesIO(client.get("/office/parcels/export.xlsx?archived=only&lang=en").data)
    )
    header = [c.value for c in book.active[1]]
    cell = book.active.cell(row=2, column=header.index("archived_at") + 1)
    assert cell.value == dt.datetime(2026, 3, 2, 2, 30)
    assert "UTC+06:00" in cell.number_format
