"""Real-world import files, made in the tests: what offices actually send."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests import factories as f


def shapefile_zip(
    folder: Path, rows: list[dict], crs: int = 7693, geometry: str = "polygon"
) -> Path:
    """A zipped Shapefile whose DBF is cp1251 with no .cpg and no language driver byte
    (as old Windows tools leave them), with a Kyrg-06 .prj."""
    import geopandas as gpd

    shapes = [
        f.square(72.80 + i * 0.001, 40.53, 30)
        if geometry == "polygon"
        else f.square(72.80 + i * 0.001, 40.53, 30).centroid
        for i in range(len(rows))
    ]
    frame = gpd.GeoDataFrame(rows, geometry=shapes, crs="EPSG:4326").to_crs(crs)
    shp = folder / "участки.shp"
    frame.to_file(shp, driver="ESRI Shapefile", engine="pyogrio", encoding="cp1251")
    folder.joinpath("участки.cpg").unlink(missing_ok=True)
    dbf = shp.with_suffix(".dbf")
    raw = bytearray(dbf.read_bytes())
    raw[29] = 0  # no language driver id: the reader must guess
    dbf.write_bytes(bytes(raw))
    target = folder / "parcels.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in folder.glob("участки.*"):
            archive.write(part, part.name.replace("участки", "parcels"))
    return target


def xlsx(folder: Path, name: str, header: list[str], rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    target = folder / name
    book.save(target)
    return target


def zip_bomb(folder: Path) -> Path:
    """20 MB of zeros packed into a few kilobytes."""
    target = folder / "bomb.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("parcels.dbf", b"\0" * (20 * 1024 * 1024))
    return target


def escaping_zip(folder: Path) -> Path:
    target = folder / "escape.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("../../etc/cron.d/parcels.shp", b"x")
    return target


def points_geojson(folder: Path) -> Path:
    target = folder / "points.geojson"
    target.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"code": "5-08-01-0005-0001"}, "geometry": '
        '{"type": "Point", "coordinates": [72.8, 40.53]}}]}',
        encoding="utf-8",
    )
    return target


def upload(path: Path) -> tuple[io.BytesIO, str]:
    return io.BytesIO(path.read_bytes()), path.name
