"""An XLSX workbook is a zip archive of XML: it gets the zip-bomb checks before openpyxl
reads a byte of it, on every path that reads one (the API's import, the office wizard,
a parcel's shape from a file). The security test's 1.3 MB workbook of two million rows
kept a server busy for four minutes."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.errors import ValidationError
from inventory.services.imports import safety
from inventory.services.imports.reading import read_table
from tests import factories as f
from tests.office import files

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)


def xlsx_bomb(folder, rows: int = 600_000):
    """A workbook of a few hundred kilobytes whose one sheet unpacks to some 60 MB of
    identical inline-string rows."""
    row = '<row><c t="inlineStr"><is><t>5-08-01-0001-0001</t></is></c></row>'
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + row * rows
        + "</sheetData></worksheet>"
    )
    target = folder / "реестр.xlsx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return target


def test_a_small_workbook_unpacking_huge_is_refused_before_it_is_read(
    db_session, sign_in, osh, tmp_path
):
    path = xlsx_bomb(tmp_path)
    assert path.stat().st_size < 1024 * 1024
    answer = sign_in("officer_osh").post(
        "/api/v1/imports?lang=en",
        data={"file": files.upload(path), "kind": "parcels"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["field"] == "file"
    assert "xl/worksheets/sheet1.xml" in body["message"] and "zip bomb" in body["message"]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Parcel)) == 0


def test_the_office_wizard_refuses_it_too(sign_in, osh, tmp_path):
    answer = sign_in("officer_osh").post(
        "/office/import?lang=en",
        data={"file": files.upload(xlsx_bomb(tmp_path)), "kind": "parcels"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "zip bomb" in answer.get_data(as_text=True)


def test_a_parcels_shape_from_a_workbook_is_checked_as_well(db_session, sign_in, osh, tmp_path):
    parcel = f.parcel(db_session, osh)
    answer = sign_in("officer_osh").post(
        f"/office/parcels/{parcel.id}/shape-from-file?lang=en",
        data={"file": (io.BytesIO(xlsx_bomb(tmp_path).read_bytes()), "shape.xlsx")},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 400
    assert "zip bomb" in answer.get_json()["message"]


def test_a_workbook_has_its_own_bound_on_the_unpacked_size(monkeypatch, tmp_path):
    """Below the ratio limit, the total still counts: the reader refuses a workbook
    unpacking past the XLSX bound, whoever calls it."""
    path = files.xlsx(
        tmp_path, "реестр.xlsx", ["Идентификационный код"], [["5-08-01-0001-0001"]] * 50
    )
    assert read_table(path).records  # within the bound: read as always
    monkeypatch.setitem(safety.ZIPPED, ".xlsx", 1000)
    with pytest.raises(ValidationError, match="unpacks to"):
        read_table(path)
    assert safety.MAX_XLSX_UNPACKED_BYTES < safety.MAX_UNPACKED_BYTES
