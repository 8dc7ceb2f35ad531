"""Downloads read back with geopandas/pyogrio: same rows, fields and coordinates in every
format; the snapshot command, the /opendata page and safe serving of its files."""

from __future__ import annotations

import re
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa

from inventory.services.geometry import as_multipolygon
from inventory.services.opendata import export, snapshot
from inventory.services.public.layers import LAYERS
from tests.opendata.conftest import COMPANY_NAME


def _read(path, fmt):
    if fmt == "csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        geometry = gpd.GeoSeries.from_wkt(frame.pop("wkt").replace("", None), crs=4326)
        return gpd.GeoDataFrame(frame, geometry=geometry)
    if fmt == "shp":
        return gpd.read_file(f"zip://{path}")
    return gpd.read_file(path)


@pytest.mark.parametrize("fmt", list(export.FORMATS))
@pytest.mark.parametrize("dataset", ["parcels", "buildings", "zones", "contracts"])
def test_every_format_reads_back_with_the_same_rows_fields_and_coordinates(
    db_session, inventory, tmp_path, fmt, dataset
):
    layer = LAYERS[dataset]
    path = tmp_path / f"{dataset}{export.FORMATS[fmt]}"
    rows = export.write(db_session, layer, fmt, path)
    expected = db_session.execute(
        sa.text(f"SELECT f.id, ST_AsBinary(f.geom) AS wkb FROM ({layer.sql}) AS f ORDER BY f.id")
    ).all()
    frame = _read(path, fmt)
    assert rows == len(frame) == len(expected) > 0
    assert [c for c in frame.columns if c != "geometry"] == layer.field_names
    assert [int(v) for v in frame["id"]] == [row.id for row in expected]
    for got, row in zip(frame.geometry, expected, strict=True):
        if row.wkb is None:
            assert got is None or got.is_empty
        else:
            # A Shapefile has no MultiPolygon: a one-part polygon reads back as a Polygon.
            got = as_multipolygon(got)
            assert shapely.equals_exact(
                shapely.normalize(got), shapely.normalize(shapely.from_wkb(row.wkb)), 1e-6
            )


def test_the_zipped_shapefile_says_utf8_and_keeps_cyrillic(db_session, inventory, tmp_path):
    path = tmp_path / "contracts.shp.zip"
    export.write(db_session, LAYERS["contracts"], "shp", path)
    names = zipfile.ZipFile(path).namelist()
    assert {
        "contracts.shp",
        "contracts.dbf",
        "contracts.shx",
        "contracts.prj",
        "contracts.cpg",
    } <= set(names)
    assert zipfile.ZipFile(path).read("contracts.cpg").strip().upper() in (b"UTF-8", b"UTF8")
    assert COMPANY_NAME in set(gpd.read_file(f"zip://{path}")["lessee"])


def test_a_municipality_file_holds_only_its_records(db_session, inventory, tmp_path):
    path = tmp_path / "parcels-osh.geojson"
    assert export.write(db_session, LAYERS["parcels"], "geojson", path, "osh") == 3
    assert (
        export.write(
            db_session, LAYERS["parcels"], "geojson", tmp_path / "parcels-nookat.geojson", "nookat"
        )
        == 0
    )
    assert gpd.read_file(tmp_path / "parcels-nookat.geojson").empty


def test_no_snapshot_yet_the_page_says_how_to_make_one(client):
    page = client.get("/opendata?lang=en").get_data(as_text=True)
    assert "inventory opendata" in page and "CC BY 4.0" in page


def test_the_snapshot_is_listed_served_and_safe(app, client, db_session, inventory):
    folder = app.config["VAR_DIR"] + "/opendata"
    from pathlib import Path

    made = snapshot.write_snapshot(
        db_session,
        Path(folder),
        prefix="ocds-test-",
        licence="https://example.org/licence",
        base_url="http://example.org",
    )
    assert {f.name for f in made.files} >= {
        "parcels-all.geojson",
        "parcels-osh.gpkg",
        "contracts-all.shp.zip",
        "zones-all.csv",
        "ocds-releases.json",
    }
    app.config["OPENDATA_LICENCE"] = "https://example.org/licence"
    page = client.get("/opendata?lang=ru").get_data(as_text=True)
    assert "parcels-osh.gpkg" in page and made.data_date[:10] in page
    assert "https://example.org/licence" in page
    # The data dictionary, in all three languages, whatever the page's language.
    assert "Код зоны" in page and "Zone code" in page and "Зонанын коду" in page
    # Files named by municipality and sized in the page's words; the date before ";"
    # keeps its "г.".
    assert "<td>Все муниципалитеты</td>" in page and "<td>all</td>" not in page
    assert "<td>Osh</td>" in page and "<td>osh</td>" not in page
    assert re.search(r"<td>\d+(,\d)?\xa0(КБ|МБ|байт)</td>", page), page
    assert "г.;" in page and "г;" not in page
    download = client.get("/opendata/files/parcels-all.geojson")
    assert download.status_code == 200 and download.mimetype == "application/geo+json"
    for bad in ("../manifest.json", "..%2F..%2Fpgpassword", "%2Fetc%2Fpasswd", "nothing.csv"):
        assert client.get(f"/opendata/files/{bad}").status_code == 404, bad


def test_the_command_writes_the_snapshot(runner, monkeypatch, tmp_path, app):
    import importlib

    command = importlib.import_module("inventory.cli.opendata")
    monkeypatch.setattr(command, "make_app", lambda: app)
    result = runner.invoke(command.opendata, ["--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_the_csv_download_neutralises_spreadsheet_formulas(db_session, inventory, tmp_path):
    db_session.execute(sa.text("UPDATE parcel SET address = '=HYPERLINK(\"http://x\")'"))
    path = tmp_path / "parcels.csv"
    export.write(db_session, LAYERS["parcels"], "csv", path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert set(frame["address"]) == {'\'=HYPERLINK("http://x")'}


def test_the_data_dictionary_describes_every_field_in_kyrgyz_russian_and_english(app):
    from flask_babel import force_locale, gettext

    from inventory.services.public.layers import DOWNLOADS

    with app.test_request_context():
        for name in DOWNLOADS:
            layer = LAYERS[name]
            for text in (layer.title, *(field.description for field in layer.fields)):
                for language in ("ky", "ru"):
                    with force_locale(language):
                        assert gettext(text) != text, (name, language, text)
    page = app.test_client().get("/opendata?lang=en").get_data(as_text=True)
    for name in DOWNLOADS:
        for field in LAYERS[name].fields:
            assert f">{field.name}<" in page, (name, field.name)
