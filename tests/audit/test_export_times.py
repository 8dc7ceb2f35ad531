"""The flag exports tell each moment in Bishkek time and say so: ISO 8601 with +06:00 in
CSV and GeoJSON, a Bishkek wall time whose cell reads "UTC+06:00" in XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest

#: 20:30 UTC on 1 March is already 02:30 on 2 March in Bishkek.
SEEN = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)
SEEN_IN_BISHKEK = "2026-03-02T02:30:00+06:00"


@pytest.fixture()
def seen(db_session, flagged):
    for flag in (flagged["osh"], flagged["ja"]):
        flag.first_seen_at = flag.last_seen_at = SEEN
    db_session.flush()
    return flagged


def test_the_csv_writes_moments_with_the_bishkek_offset(client, headers, seen):
    raw = client.get("/api/v1/anomalies/export.csv", headers=headers["auditor"]).get_data()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert {(row["first_seen"], row["last_seen"]) for row in rows} == {
        (SEEN_IN_BISHKEK, SEEN_IN_BISHKEK)
    }
    assert dt.datetime.fromisoformat(rows[0]["first_seen"]) == SEEN


def test_the_geojson_writes_moments_with_the_bishkek_offset(client, headers, seen):
    response = client.get("/api/v1/anomalies/export.geojson", headers=headers["auditor"])
    features = json.loads(response.get_data())["features"]
    assert {f["properties"]["first_seen"] for f in features} == {SEEN_IN_BISHKEK}
    assert {f["properties"]["last_seen"] for f in features} == {SEEN_IN_BISHKEK}


def test_the_workbook_holds_bishkek_wall_time_and_says_so(client, headers, seen):
    response = client.get("/api/v1/anomalies/export.xlsx", headers=headers["auditor"])
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    header = [c.value for c in sheet[1]]
    column = header.index("first_seen") + 1
    cells = [sheet.cell(row=r, column=column) for r in (2, 3)]
    assert {c.value for c in cells} == {dt.datetime(2026, 3, 2, 2, 30)}
    assert all("UTC+06:00" in c.number_format for c in cells)


def test_a_download_is_named_for_the_day_in_bishkek(client, headers, seen, monkeypatch):
    from inventory.services import localtime

    # 20:30 UTC: a server keeping UTC would still say 1 March.
    monkeypatch.setattr(localtime, "now", lambda: SEEN.astimezone(localtime.ZONE))
    response = client.get("/api/v1/anomalies/export.csv", headers=headers["auditor"])
    assert 'filename="anomalies-2026-03-02.csv"' in response.headers["Content-Disposition"]
