"""Reading officers' files into rows and geometries, whatever the format.

GeoJSON, GeoPackage, Shapefile (plain or zipped), KML go through pyogrio; CSV (with WKT
or lon/lat columns) and XLSX are read here. Geometry comes back in EPSG:4326.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from inventory.services import geometry as geo
from inventory.services.errors import ValidationError

VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip", ".kml", ".fgb"}
_WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom")
_LON_COLUMNS = ("lon", "longitude", "lng", "x", "долгота", "узундук")
_LAT_COLUMNS = ("lat", "latitude", "y", "широта", "кеңдик")


@dataclass
class Table:
    """Rows of one file: column names, one dict per row, and each row's geometry."""

    columns: list[str]
    records: list[dict]
    geometries: list[BaseGeometry | None] | None = None
    source_crs: str | None = None
    notes: list[str] = field(default_factory=list)
    #: The columns come from a DBF (a Shapefile), whose field names are cut to 10 bytes.
    dbf: bool = False
    #: The geometries as the file holds them, before reprojection (to try other CRS).
    raw_geometries: list[BaseGeometry | None] | None = None
    #: The file does not say its coordinate system and none was chosen: `geometries`
    #: are the file's own numbers (read_table(unknown_crs="keep")).
    crs_unknown: bool = False
    #: Rows whose geometry cell could not be read (bad WKT, a coordinate that is no
    #: number), by row number: their geometry is None and the error names row and field,
    #: so an import reports them with the file's other problems.
    geometry_errors: dict[int, ValidationError] = field(default_factory=dict)


def read_table(
    path: Path,
    *,
    crs: int | str | None = None,
    encoding: str | None = None,
    layer: str | None = None,
    unknown_crs: str = "raise",
) -> Table:
    """Read `path` into a Table; geometry is reprojected to EPSG:4326.

    `crs` is used when the file does not say its coordinate system (a Shapefile without
    .prj, a CSV); `encoding` when a DBF has no .cpg. Raises ValidationError naming the
    file when it cannot be read, or when its coordinate system is unknown, unless
    `unknown_crs` is "keep": then the geometries stay as read and `crs_unknown` is set
    (an import names the coordinate systems that would fit, see imports.placement).
    """
    suffix = path.suffix.lower()
    if suffix in VECTOR_SUFFIXES:
        return _read_vector(path, crs=crs, encoding=encoding, layer=layer, unknown_crs=unknown_crs)
    if suffix in {".csv", ".txt"}:
        return _read_csv(path, crs=crs, encoding=encoding)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise ValidationError(
        "%(file)s: unsupported file type '%(suffix)s'", field="file", file=path.name, suffix=suffix
    )


def _read_vector(path: Path, *, crs, encoding, layer, unknown_crs="raise") -> Table:
    import pyogrio

    from inventory.services.imports.encoding import check_declared, dbf_encoding
    from inventory.services.imports.safety import check_archive

    notes = []
    check_archive(path)  # zip bombs and paths leaving the folder, before GDAL opens it
    check_declared(path, encoding)  # a .cpg saying UTF-8 on a cp1251 table, say
    if not encoding and path.suffix.lower() in {".shp", ".zip"}:
        encoding = dbf_encoding(path)
        if encoding:
            notes.append(f"DBF encoding {encoding} (detected: the file has no .cpg)")
    kwargs = {}
    if encoding:
        kwargs["encoding"] = encoding
    if layer:
        kwargs["layer"] = layer
    if path.suffix.lower() == ".kml":
        # GDAL's LIBKML driver otherwise turns Cyrillic field names into "_____".
        pyogrio.set_gdal_config_options({"LIBKML_LAUNDER_FIELD_NAMES": "NO"})
    target = f"/vsizip/{path}" if path.suffix.lower() == ".zip" else str(path)
    try:
        frame = pyogrio.read_dataframe(target, **kwargs)
    except Exception as exc:  # pyogrio raises many GDAL error types
        raise ValidationError(
            "%(file)s: cannot be read as a GIS file (%(reason)s)",
            field="file",
            file=path.name,
            reason=exc,
        ) from exc
    source_crs = frame.crs.to_string() if frame.crs is not None else None
    geometries = list(frame.geometry.values) if "geometry" in frame else None
    columns = [c for c in frame.columns if c != "geometry"]
    # Column by column, then zipped: a third of the time of DataFrame.to_dict("records"),
    # which boxes every cell on its own. Missing cells (NaN, NaT) become None.
    cells = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in columns]
    records = [{} for _ in range(len(frame))]
    if columns:
        records = [dict(zip(columns, row, strict=True)) for row in zip(*cells, strict=True)]
    table = Table(
        columns=columns,
        records=records,
        geometries=geometries,
        source_crs=source_crs,
        notes=notes,
        dbf=_is_shapefile(path),
    )
    _reproject(table, source_crs or crs, path, unknown_crs)
    return table


def _is_shapefile(path: Path) -> bool:
    """Whether `path` is a Shapefile, or a zip holding one."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        import zipfile

        with zipfile.ZipFile(path) as archive:
            return any(name.lower().endswith(".shp") for name in archive.namelist())
    return suffix == ".shp"


def _reproject(table: Table, crs, path: Path, unknown_crs: str = "raise") -> None:
    if table.geometries is None:
        return
    table.raw_geometries = list(table.geometries)
    if crs is None:
        if path.suffix.lower() in {".geojson", ".json", ".kml"}:
            return  # GeoJSON and KML are lon/lat by definition
        if unknown_crs == "keep":
            table.crs_unknown = True
            return
        raise ValidationError(
            "%(file)s: the coordinate system is unknown (no .prj); choose one of %(choices)s",
            field="crs",
            file=path.name,
            choices=", ".join(f"EPSG:{code} {name}" for code, name in geo.KNOWN_CRS.items()),
        )
    array = [g if g is not None else None for g in table.geometries]
    table.geometries = [None if g is None else geo.reproject(g, crs) for g in array]
    table.source_crs = str(crs)


def _sniff_text(raw: bytes, encoding: str | None) -> str:
    if encoding:
        return raw.decode(encoding)
    for candidate in ("utf-8-sig", "cp1251"):
        try:
            return raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _read_csv(path: Path, *, crs, encoding) -> Table:
    content = _sniff_text(path.read_bytes(), encoding)
    # Decided by the header line alone: WKT cells are full of commas, and Excel in
    # Russian writes ";"-separated files.
    header = content.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    columns = [c.strip() for c in (reader.fieldnames or [])]
    records = [{(k or "").strip(): v for k, v in row.items()} for row in reader]
    table = Table(columns=columns, records=records)
    lowered = {c.lower(): c for c in columns}
    wkt_col = next((lowered[c] for c in _WKT_COLUMNS if c in lowered), None)
    lon_col = next((lowered[c] for c in _LON_COLUMNS if c in lowered), None)
    lat_col = next((lowered[c] for c in _LAT_COLUMNS if c in lowered), None)
    if wkt_col:
        table.geometries = [
            _kept(table, i, _wkt, r.get(wkt_col), i) for i, r in enumerate(records, 1)
        ]
        table.columns.remove(wkt_col)
    elif lon_col and lat_col:
        table.geometries = [
            _kept(table, i, _point, r.get(lon_col), r.get(lat_col), i)
            for i, r in enumerate(records, 1)
        ]
    if table.geometries is not None:
        table.raw_geometries = list(table.geometries)
    if table.geometries is not None and crs is not None:
        _reproject(table, crs, path)
    return table


def _kept(table: Table, row: int, read: Callable[..., BaseGeometry | None], *args):
    """`read(*args)`, or None with its error kept in `table.geometry_errors`."""
    try:
        return read(*args)
    except ValidationError as exc:
        table.geometry_errors[row] = exc
        return None


def _wkt(value, row: int) -> BaseGeometry | None:
    if value is None or not str(value).strip():
        return None
    try:
        return shapely.from_wkt(str(value).strip())
    except shapely.errors.GEOSException as exc:
        # GEOS says why in English ("Expected number but encountered end of stream");
        # an officer needs to know only that this cell is broken.
        raise ValidationError(
            "the geometry's text (WKT) cannot be read: it is cut short or mistyped",
            field="geometry",
            row=row,
        ) from exc


def _point(lon, lat, row: int) -> BaseGeometry | None:
    from inventory.services.imports.values import BadValue, is_blank, parse_float

    if is_blank(lon) or is_blank(lat):
        return None
    try:
        return shapely.Point(parse_float(lon), parse_float(lat))
    except ValueError as exc:  # its template, to be translated where shown
        template, params = BadValue.parts(exc)
        raise ValidationError(template, field="geometry", row=row, **params) from exc


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    from inventory.services.imports.safety import check_archive

    check_archive(path)  # an XLSX is a zip: its XML's size, before openpyxl parses it
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(
            "%(file)s: not a readable XLSX workbook (%(reason)s)",
            field="file",
            file=path.name,
            reason=exc,
        ) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise ValidationError("%(file)s: the first sheet is empty", field="file", file=path.name)
    columns = [str(c).strip() if c is not None else "" for c in header]
    records = []
    for values in rows:
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        records.append(
            {columns[i]: values[i] for i in range(min(len(columns), len(values))) if columns[i]}
        )
    book.close()
    return Table(columns=[c for c in columns if c], records=records)
