"""Every file format the issue names, made in the test, imported through the API:
GeoPackage, KML from a phone, CSV with WKT, CSV with lon/lat, a Shapefile in SK-42 with
no .prj (the coordinate system chosen by name), and the column mapping remembered per
municipality."""

from __future__ import annotations

import re
import zipfile

import pytest
import sqlalchemy as sa

from inventory import models as m
from tests import factories as f
from tests.office import files


def _post(client, path, kind="parcels", **form):
    return client.post(
        "/api/v1/imports",
        data={"file": files.upload(path), "kind": kind, **form},
        content_type="multipart/form-data",
    )


def _frame(codes, crs="EPSG:4326"):
    import geopandas as gpd

    shapes = [f.square(72.80 + i * 0.001, 40.53, 30) for i in range(len(codes))]
    return gpd.GeoDataFrame(
        {"Идентификационный код": codes, "Адрес": [f"ул. Ленина, {n}" for n in range(len(codes))]},
        geometry=shapes,
        crs="EPSG:4326",
    ).to_crs(crs)


def _chosen(page: str, field: str) -> str | None:
    """The column the wizard's page proposes for a field, or None."""
    select = re.search(rf'name="col-{field}">(.*?)</select>', page, re.S).group(1)
    found = re.search(r"<option selected>([^<]*)</option>", select)
    return found.group(1) if found else None


def _areas(db_session, codes):
    return [
        float(a)
        for a in db_session.scalars(
            sa.select(m.Parcel.measured_area)
            .where(m.Parcel.ident_code.in_(codes))
            .order_by(m.Parcel.ident_code)
        )
    ]


def test_a_geopackage_in_kyrg06_imports(db_session, sign_in, osh, tmp_path):
    codes = ["5-08-01-0020-0001", "5-08-01-0020-0002"]
    path = tmp_path / "участки.gpkg"
    _frame(codes, "EPSG:7693").to_file(path, driver="GPKG", engine="pyogrio")
    answer = _post(sign_in("officer_osh"), path)
    assert answer.status_code == 201, answer.get_json()["problems"]
    assert all(850 < area < 950 for area in _areas(db_session, codes))


def test_kml_from_a_phone_imports(db_session, sign_in, osh, tmp_path):
    code = "5-08-01-0021-0001"
    ring = " ".join(f"{x},{y},0" for x, y in f.square(72.80, 40.53, 30).exterior.coords)
    path = tmp_path / "plot.kml"
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>
<name>{code}</name><ExtendedData><Data name="Адрес"><value>ул. Ленина, 21</value></Data>
</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates>
</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>""",
        encoding="utf-8",
    )
    client = sign_in("officer_osh")
    answer = _post(client, path, columns='{"ident_code": "Name", "address": "Адрес"}')
    # (the Cyrillic field name must come through as it is, not as "_____")
    assert answer.status_code == 201, answer.get_json()["problems"]
    parcel = db_session.scalars(sa.select(m.Parcel).where(m.Parcel.ident_code == code)).one()
    assert parcel.address == "ул. Ленина, 21" and 850 < float(parcel.measured_area) < 950


def test_a_csv_with_wkt_in_cp1251_imports(db_session, sign_in, osh, tmp_path):
    code = "5-08-01-0022-0001"
    path = tmp_path / "участки.csv"
    path.write_bytes(
        (
            f"Идентификационный код;Адрес;WKT\n{code};ул. Ленина, 22;"
            f'"{f.square(72.80, 40.53, 30).wkt}"\n'
        ).encode("cp1251")
    )
    answer = _post(sign_in("officer_osh"), path)
    assert answer.status_code == 201, answer.get_json()["problems"]
    parcel = db_session.scalars(sa.select(m.Parcel).where(m.Parcel.ident_code == code)).one()
    assert parcel.address == "ул. Ленина, 22" and parcel.geom is not None


def test_a_csv_of_inspections_with_lon_lat_keeps_the_positions(db_session, sign_in, osh, tmp_path):
    parcel = f.parcel(db_session, osh, ident_code="5-08-01-0023-0001")
    path = tmp_path / "обследования.csv"
    path.write_text(
        "Идентификационный код,Дата обследования,Инспектор,lon,lat\n"
        "5-08-01-0023-0001,14.05.2026,А. Осмонов,72.8001,40.5301\n",
        encoding="utf-8",
    )
    answer = _post(sign_in("officer_osh"), path, kind="inspections")
    assert answer.status_code == 201, answer.get_json()["problems"]
    inspection = db_session.scalars(
        sa.select(m.Inspection).where(m.Inspection.parcel_id == parcel.id)
    ).one()
    lon, lat = db_session.execute(
        sa.select(sa.func.ST_X(m.Inspection.position), sa.func.ST_Y(m.Inspection.position)).where(
            m.Inspection.id == inspection.id
        )
    ).one()
    assert (round(lon, 4), round(lat, 4)) == (72.8001, 40.5301)


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")
def test_a_shapefile_in_sk42_without_prj_needs_the_crs_chosen(db_session, sign_in, osh, tmp_path):
    codes = ["5-08-01-0024-0001"]
    shp = tmp_path / "old.shp"
    _frame(codes, "EPSG:28413").to_file(
        shp, driver="ESRI Shapefile", engine="pyogrio", encoding="cp1251"
    )
    shp.with_suffix(".prj").unlink()
    # The DBF cuts "Идентификационный код" to "Идентифика": still recognised.
    path = tmp_path / "old.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in tmp_path.glob("old.*"):
            if part.suffix != ".zip":
                archive.write(part, part.name)
    client = sign_in("officer_osh")
    unknown = _post(client, path).get_json()
    assert unknown["ok"] is False and unknown["problems"][0]["field"] == "crs"
    assert "EPSG:28413" in unknown["problems"][0]["message"]  # the choices, by name
    answer = _post(client, path, crs="EPSG:28413")
    assert answer.status_code == 201, answer.get_json()["problems"]
    assert 850 < _areas(db_session, codes)[0] < 950


def test_a_mapping_is_remembered_for_its_own_municipality_only(
    db_session, sign_in, osh, jalalabad, tmp_path
):
    def upload(client, codes):
        path = files.xlsx(
            tmp_path, "list.xlsx", ["Кадастр", "Улица"], [[code, "ул. Ленина"] for code in codes]
        )
        answer = client.post(
            "/office/import",
            data={"file": files.upload(path), "kind": "parcels"},
            content_type="multipart/form-data",
        )
        return answer.headers["Location"]

    osh_client = sign_in("officer_osh")
    step = upload(osh_client, ["5-08-01-0025-0001"])
    osh_client.post(
        step, data={"col-ident_code": "Кадастр", "col-address": "Улица", "action": "commit"}
    )
    # Osh's next file: the unusual headers are mapped without asking.
    page = osh_client.get(upload(osh_client, ["5-08-01-0025-0002"])).get_data(as_text=True)
    assert _chosen(page, "ident_code") == "Кадастр" and _chosen(page, "address") == "Улица"
    # Jalal-Abad's office did not teach it that.
    ja_client = sign_in("officer_ja")
    page = ja_client.get(upload(ja_client, ["5-09-01-0025-0001"])).get_data(as_text=True)
    assert _chosen(page, "ident_code") is None
