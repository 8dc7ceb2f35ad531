"""Writing a public layer to a file, streamed: GeoJSON, GeoPackage, zipped Shapefile, CSV.

Rows come from a server-side cursor in chunks of CHUNK_ROWS, so memory stays flat
whatever the size of the inventory (a million parcels included). PostGIS serialises the
geometry: GeoJSON text for GeoJSON, WKB for GeoPackage and Shapefile (written by pyogrio,
appended chunk by chunk), WKT for CSV. Every file is written under a temporary name and
renamed when complete, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.public.geojson import PRECISION, feature_sql
from inventory.services.public.layers import Layer
from inventory.services.spreadsheet import neutralise_row

CHUNK_ROWS = 5_000

#: Format name -> file name suffix.
FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "shp": ".shp.zip", "csv": ".csv"}


def _select(layer: Layer, municipality: str | None, columns: str) -> tuple[sa.TextClause, dict]:
    where = "true" if municipality is None else "f.munic = :municipality"
    return (
        sa.text(f"SELECT {columns} FROM ({layer.sql}) AS f WHERE {where} ORDER BY f.id"),
        {"municipality": municipality},
    )


def stream_rows(
    session: so.Session, layer: Layer, municipality: str | None, columns: str
) -> Iterator[list[sa.Row]]:
    """The layer's rows (of `columns`) in chunks, from a server-side cursor."""
    statement, params = _select(layer, municipality, columns)
    # Options of this statement only: set on the connection they would outlive it.
    result = session.execute(
        statement, params, execution_options={"stream_results": True, "yield_per": CHUNK_ROWS}
    )
    yield from result.partitions(CHUNK_ROWS)


def write(
    session: so.Session, layer: Layer, fmt: str, path: Path, municipality: str | None = None
) -> int:
    """Write the layer (one municipality's part, or all) to `path`; the number of rows."""
    writer = {"geojson": _geojson, "gpkg": _gpkg, "shp": _shapefile_zip, "csv": _csv}[fmt]
    # The temporary name keeps the suffix, which GDAL's drivers look at.
    partial = path.with_name(".part-" + path.name)
    try:
        count = writer(session, layer, municipality, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _geojson(session, layer, municipality, path: Path) -> int:
    # RFC 7946: WGS 84 lon/lat, no "crs" member; each feature is built by PostGIS.
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "features": [\n')
        columns = f"{feature_sql(layer, id_property=True)}::text"
        for chunk in stream_rows(session, layer, municipality, columns):
            for (feature,) in chunk:
                out.write((",\n" if count else "") + feature)
                count += 1
        out.write("\n]}\n")
    return count


def _csv(session, layer, municipality, path: Path) -> int:
    count = 0
    columns = ", ".join(f"f.{name}" for name in layer.field_names)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*layer.field_names, "wkt"])
        for chunk in stream_rows(
            session, layer, municipality, f"{columns}, ST_AsText(f.geom, {PRECISION + 2}) AS wkt"
        ):
            # Text a spreadsheet would run as a formula (an address typed as "=HYPERLINK(...)")
            # is written with a leading apostrophe; WKT and numbers are left as they are.
            writer.writerows(neutralise_row(["" if v is None else v for v in row]) for row in chunk)
            count += len(chunk)
    return count


def _frame(layer: Layer, chunk: list[sa.Row]):
    """A chunk as a GeoDataFrame whose column types do not depend on the chunk's values
    (an all-empty column must not change type between appended chunks)."""
    import geopandas as gpd
    import pandas as pd

    dtypes = {"int": "Int64", "float": "float64", "str": "object", "date": "object"}
    data: dict[str, Any] = {}
    for position, field in enumerate(layer.fields):
        values = [row[position] for row in chunk]
        data[field.name] = pd.Series(values, dtype=dtypes[field.type])
    geometry = gpd.GeoSeries.from_wkb([row[-1] for row in chunk], crs="EPSG:4326")
    return gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")


def _ogr_write(
    session,
    layer: Layer,
    municipality: str | None,
    path: Path,
    driver: str,
    layer_name: str,
    **options: Any,
) -> int:
    import pyogrio

    columns = ", ".join(f"f.{name}" for name in layer.field_names)
    count = 0
    for chunk in stream_rows(session, layer, municipality, f"{columns}, ST_AsBinary(f.geom)"):
        pyogrio.write_dataframe(
            _frame(layer, chunk),
            path,
            layer=layer_name,
            driver=driver,
            append=count > 0,
            promote_to_multi=True,
            geometry_type="MultiPolygon",
            **options,
        )
        count += len(chunk)
    if count == 0:  # an empty layer is still a layer, with its fields
        pyogrio.write_dataframe(
            _frame(layer, []),
            path,
            layer=layer_name,
            driver=driver,
            geometry_type="MultiPolygon",
            **options,
        )
    return count


def _gpkg(session, layer, municipality, path: Path) -> int:
    return _ogr_write(session, layer, municipality, path, "GPKG", layer.name)


def _shapefile_zip(session, layer, municipality, path: Path) -> int:
    # UTF-8 DBF with a .cpg file saying so: QGIS then reads Cyrillic names as written.
    stem = path.name.removeprefix(".part-").removesuffix(".shp.zip")
    with tempfile.TemporaryDirectory(prefix="opendata-shp-") as folder:
        shp = Path(folder) / f"{stem}.shp"
        count = _ogr_write(
            session, layer, municipality, shp, "ESRI Shapefile", stem, encoding="UTF-8"
        )
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(folder).iterdir()):
                archive.write(part, arcname=part.name)
    return count


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
