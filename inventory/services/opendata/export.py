"""Writing a public layer to a file, streamed: GeoJSON, GeoPackage, zipped Shapefile, CSV.

Rows come from a server-side cursor in chunks of CHUNK_ROWS, so memory stays flat
whatever the size of the inventory (a million parcels included). PostGIS serialises the
geometry: GeoJSON text for GeoJSON, WKB for GeoPackage and Shapefile (written by pyogrio,
appended chunk by chunk), WKT for CSV. Every file is written under a temporary name and
renamed when complete, so a reader never sees half a file.

Dates are Date fields in GeoPackage and Shapefile (a GIS sorts and filters them as
dates), ISO `YYYY-MM-DD` text in GeoJSON and CSV. The CSV starts with a UTF-8 byte order
mark, so Excel opens its Cyrillic as written.
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
    # "utf-8-sig" writes the byte order mark Excel needs to read UTF-8 (else cp1251).
    with path.open("w", encoding="utf-8-sig", newline="") as out:
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


def _column(field_type: str, values: list[Any]):
    """One field's values as pyogrio writes them, typed by the field, never by the values
    (an all-empty column must not change type between appended chunks), and the mask of
    its missing values where the type has no null of its own (int)."""
    import numpy as np

    if field_type == "int":
        mask = np.array([v is None for v in values], dtype=bool)
        return np.array([0 if v is None else v for v in values], dtype="int64"), mask
    if field_type == "float":  # NaN is written as null
        return np.array([np.nan if v is None else v for v in values], dtype="float64"), None
    if field_type == "date":  # day precision: GDAL makes a Date field of it (OFTDate)
        return np.array(["NaT" if v is None else v for v in values], dtype="datetime64[D]"), None
    return np.array(values, dtype=object), None


def _arrays(layer: Layer, chunk: list[sa.Row]) -> tuple[list, list, Any]:
    """A chunk as pyogrio's field arrays, their masks and the WKB geometries."""
    import numpy as np

    columns = [
        _column(field.type, [row[position] for row in chunk])
        for position, field in enumerate(layer.fields)
    ]
    geometry = np.array([None if row[-1] is None else bytes(row[-1]) for row in chunk])
    return [data for data, _ in columns], [mask for _, mask in columns], geometry


def _ogr_write(
    session,
    layer: Layer,
    municipality: str | None,
    path: Path,
    driver: str,
    layer_name: str,
    **options: Any,
) -> int:
    from pyogrio.raw import write as write_layer

    def append(chunk: list[sa.Row], first: bool) -> None:
        data, masks, geometry = _arrays(layer, chunk)
        write_layer(
            path,
            geometry,
            data,
            layer.field_names,
            field_mask=masks,
            layer=layer_name,
            driver=driver,
            geometry_type="MultiPolygon",
            crs="EPSG:4326",
            promote_to_multi=True,
            append=not first,
            **options,
        )

    columns = ", ".join(f"f.{name}" for name in layer.field_names)
    count = 0
    for chunk in stream_rows(session, layer, municipality, f"{columns}, ST_AsBinary(f.geom)"):
        append(chunk, first=count == 0)
        count += len(chunk)
    if count == 0:  # an empty layer is still a layer, with its fields
        append([], first=True)
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
