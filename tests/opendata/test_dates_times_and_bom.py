"""Open data as a GIS and a spreadsheet read it: dates are Date fields in GeoPackage and
Shapefile, the CSV starts with a UTF-8 BOM, and every moment carries Bishkek's +06:00."""

from __future__ import annotations

import datetime as dt
import json

import pyogrio
import pytest

from inventory.services.opendata import export, snapshot
from inventory.services.public.layers import LAYERS
from tests.opendata.conftest import COMPANY_NAME


def _date_fields(dataset: str) -> list[str]:
    return [field.name for field in LAYERS[dataset].fields if field.type == "date"]


@pytest.mark.parametrize("fmt", ["gpkg", "shp"])
@pytest.mark.parametrize("dataset", ["parcels", "zones", "contracts"])
def test_dates_are_date_fields_in_geopackage_and_shapefile(
    db_session, inventory, tmp_path, fmt, dataset
):
    path = tmp_path / f"{dataset}{export.FORMATS[fmt]}"
    export.write(db_session, LAYERS[dataset], fmt, path)
    source = f"/vsizip/{path}/{dataset}.shp" if fmt == "shp" else path
    info = pyogrio.read_info(source)
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert _date_fields(dataset)
    for name in _date_fields(dataset):
        assert types[name] == "datetime64[D]", (name, types[name])  # OGR's Date, not text


def test_a_contracts_dates_read_back_as_the_same_days(db_session, inventory, tmp_path):
    contract = inventory.company_contract
    for fmt in ("gpkg", "shp"):
        path = tmp_path / f"contracts{export.FORMATS[fmt]}"
        export.write(db_session, LAYERS["contracts"], fmt, path)
        source = f"/vsizip/{path}/contracts.shp" if fmt == "shp" else path
        frame = pyogrio.read_dataframe(source)
        row = frame[frame["id"] == contract.id].iloc[0]
        assert row["start_date"].date() == contract.start_date, fmt
        assert row["end_date"].date() == contract.end_date, fmt
        assert row["signed_on"].date() == dt.date(2023, 12, 20), fmt


def test_the_csv_starts_with_a_bom_and_keeps_cyrillic(db_session, inventory, tmp_path):
    path = tmp_path / "contracts.csv"
    export.write(db_session, LAYERS["contracts"], "csv", path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel then reads UTF-8, not cp1251
    text = raw.decode("utf-8-sig")
    assert text.startswith("id,munic,") and COMPANY_NAME in text
    assert not raw[3:].startswith(b"\xef\xbb\xbf")  # one mark, not two


def test_the_geojson_has_no_bom(db_session, inventory, tmp_path):
    path = tmp_path / "contracts.geojson"
    export.write(db_session, LAYERS["contracts"], "geojson", path)
    assert path.read_bytes().startswith(b"{")  # RFC 7946 forbids the mark


def test_the_manifest_and_the_ocds_package_tell_moments_in_bishkek_time(
    db_session, inventory, tmp_path
):
    made = snapshot.write_snapshot(
        db_session, tmp_path, prefix="ocds-x-", licence="x", base_url="http://example.org"
    )
    manifest = json.loads((tmp_path / snapshot.MANIFEST).read_text(encoding="utf-8"))
    package = json.loads((tmp_path / snapshot.OCDS_FILE).read_text(encoding="utf-8"))
    moments = [
        made.data_date,
        made.generated_at,
        manifest["data_date"],
        manifest["generated_at"],
        package["publishedDate"],
        *(release["date"] for release in package["releases"]),
    ]
    assert len(moments) > 5
    for moment in moments:
        assert moment.endswith("+06:00"), moment
        assert dt.datetime.fromisoformat(moment).utcoffset() == dt.timedelta(hours=6)
