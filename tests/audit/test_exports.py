"""Each export of the filtered list, opened the way its reader would open it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest

from tests.audit.conftest import sign_in

COLUMNS = [
    "rule",
    "severity",
    "status",
    "municipality",
    "object",
    "message",
    "evidence",
    "first_seen",
    "last_seen",
]


@pytest.mark.parametrize("path", ["/audit/flags/export.csv", "/api/v1/anomalies/export.csv"])
def test_csv_has_a_bom_cyrillic_and_no_live_formula(client, people, headers, flagged, path):
    if path.startswith("/audit"):
        sign_in(client, people["auditor"])
        response = client.get(path)
    else:
        response = client.get(path, headers=headers["auditor"])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[:9] == COLUMNS
    objects = {row["object"] for row in rows}
    # The contract numbered like a formula comes out as text, with the apostrophe.
    assert '\'=HYPERLINK("x")' in objects
    assert "ЖА-2020-0001" in objects
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())
    assert {row["rule"] for row in rows} == {"contract_expired_active"}
    json.loads(rows[0]["evidence"])
    assert "ОсОО" not in raw.decode("utf-8")  # no lessee columns at all
    assert any(row["end_date"] == "2026-03-31" for row in rows)


def test_the_csv_neutralises_a_formula_object(client, headers, flagged):
    text = (
        client.get("/api/v1/anomalies/export.csv?municipality=osh", headers=headers["auditor"])
        .get_data()
        .decode("utf-8-sig")
    )
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["object"].endswith('\'=HYPERLINK("x")') or row["message"].startswith("'")
    assert "=HYPERLINK" in row["object"] and not row["object"].startswith("=")


def test_xlsx_is_frozen_filtered_and_typed(client, headers, flagged):
    response = client.get("/api/v1/anomalies/export.xlsx", headers=headers["auditor"])
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:T{3}"  # 16 columns, then 4 label columns
    header = [c.value for c in sheet[1]]
    assert header[:9] == COLUMNS and "end_date" in header
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    first_seen = header.index("first_seen")
    assert all(isinstance(r[first_seen], dt.datetime) for r in rows)
    end = header.index("end_date")
    assert {r[end] for r in rows} == {dt.datetime(2026, 3, 31), dt.datetime(2026, 5, 31)}
    assert sheet.column_dimensions["G"].width == 60
    assert all(not str(r[header.index("object")]).startswith("=") for r in rows)


def test_geojson_features_have_geometry_and_properties(client, headers, flagged):
    response = client.get(
        "/api/v1/anomalies/export.geojson?municipality=jalal-abad", headers=headers["auditor"]
    )
    data = json.loads(response.get_data())
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "MultiPolygon"
    lon, lat = feature["geometry"]["coordinates"][0][0][0]
    assert 72.9 < lon < 73.1 and 40.8 < lat < 41.0
    assert feature["properties"]["rule"] == "contract_expired_active"
    assert feature["properties"]["end_date"] == "2026-05-31"


def test_officers_export_only_their_city(client, headers, flagged):
    text = (
        client.get("/api/v1/anomalies/export.csv", headers=headers["officer_osh"])
        .get_data()
        .decode("utf-8-sig")
    )
    assert "ЖА-2020-0001" not in text and "HYPERLINK" in text
    assert (
        client.get(
            "/api/v1/anomalies/export.csv?municipality=jalal-abad", headers=headers["officer_osh"]
        ).status_code
        == 403
    )


def test_the_printable_report(client, people, flagged):
    sign_in(client, people["auditor"])
    page = client.get("/audit/flags/report?lang=ru").get_data(as_text=True)
    assert "ЖА-2020-0001" in page and "report.css" in page
    css = client.get("/audit/static/report.css").get_data(as_text=True)
    assert "@media print" in css


def test_the_openapi_document_lists_the_anomaly_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for suffix in ("", "/export.csv", "/export.xlsx", "/export.geojson"):
        assert "get" in paths[f"/api/v1/anomalies{suffix}"]
    names = {p["name"] for p in paths["/api/v1/anomalies"]["get"]["parameters"]}
    assert {
        "municipality",
        "rule",
        "severity",
        "status",
        "seen_from",
        "seen_to",
        "lessee",
        "limit",
        "offset",
    } <= names


@pytest.mark.parametrize("argument", ["municipality", "lessee"])
def test_a_nul_character_in_a_filter_is_a_400_naming_it(client, headers, flagged, argument):
    response = client.get(
        f"/api/v1/anomalies/export.geojson?{argument}=osh%00", headers=headers["auditor"]
    )
    assert response.status_code == 400
    assert argument in response.get_data(as_text=True)
