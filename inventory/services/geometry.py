"""The one place where geometry is converted: files and clients <-> shapely <-> PostGIS.

Everything is stored in EPSG:4326. Areas and distances are measured in the Kyrg-06 zone
that covers the object's longitude (EPSG:7692..7696, 3° wide, zone 2 = 70°01'..73°01'E),
in PostGIS where possible (`inventory_area_m2()` in the migrations) and here with the
same rule when Python must.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import shapely
from geoalchemy2.elements import WKBElement
from geoalchemy2.shape import from_shape, to_shape
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from inventory.models.base import SRID
from inventory.services.errors import ValidationError

#: Coordinate systems offered by name when a file has no .prj.
KNOWN_CRS = {
    4326: "WGS 84 (longitude/latitude)",
    7693: "Kyrg-06 zone 2 (70°01'–73°01' E: Osh, Nookat, Jalal-Abad)",
    7694: "Kyrg-06 zone 3 (73°01'–76°01' E: eastern Jalal-Abad)",
    28413: "Pulkovo 1942 (SK-42) / Gauss-Kruger zone 13",
    28412: "Pulkovo 1942 (SK-42) / Gauss-Kruger zone 12",
    3857: "Web Mercator",
    32642: "WGS 84 / UTM zone 42N",
    32643: "WGS 84 / UTM zone 43N",
}

_KYRG06_WEST_EDGE = 67.0 + 1.0 / 60.0  # zone 1 starts at 67°01'E


def kyrg06_srid(longitude: float) -> int:
    """The Kyrg-06 EPSG code whose 3° zone covers this longitude (clamped to 7692..7696)."""
    zone = math.floor((longitude - _KYRG06_WEST_EDGE) / 3.0)
    return 7692 + min(max(zone, 0), 4)


@lru_cache(maxsize=32)
def _transformer(source: int | str, target: int | str) -> Transformer:
    return Transformer.from_crs(
        CRS.from_user_input(source), CRS.from_user_input(target), always_xy=True
    )


def reproject(geom: BaseGeometry, source: int | str, target: int | str = SRID) -> BaseGeometry:
    """The geometry moved from one coordinate system to another (x = lon/easting)."""
    if _same_crs(source, target):
        return geom
    return shapely.transform(geom, lambda xy: _stack(_transformer(source, target), xy))


@lru_cache(maxsize=64)
def _same_crs(source: int | str, target: int | str) -> bool:
    # Building a CRS costs about a millisecond: once per pair, not once per geometry of
    # a 100,000-row import.
    return CRS.from_user_input(source) == CRS.from_user_input(target)


def _stack(transformer: Transformer, xy):
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def measured_area_m2(geom_4326: BaseGeometry) -> float:
    """Area in m² measured in the Kyrg-06 zone of the geometry's representative point."""
    srid = kyrg06_srid(geom_4326.representative_point().x)
    return reproject(geom_4326, SRID, srid).area


def as_multipolygon(
    geom: BaseGeometry | None, field: str = "geometry", row: int | None = None
) -> MultiPolygon | None:
    """A Polygon or MultiPolygon as MultiPolygon; anything else is a ValidationError.

    Validity is not checked here (see `validity_problem`): an invalid polygon is still a
    polygon, and the importer keeps it aside for repair instead of losing the row.
    """
    if geom is None or geom.is_empty:
        return None
    geom = shapely.force_2d(geom)
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    if isinstance(geom, MultiPolygon):
        return geom
    if geom.geom_type == "GeometryCollection":
        polygons = [g for g in geom.geoms if isinstance(g, (Polygon, MultiPolygon))]
        if polygons and len(polygons) == len(geom.geoms):
            return as_multipolygon(shapely.union_all(polygons), field, row)
    raise ValidationError(
        "expected a polygon, got a %(kind)s", field=field, row=row, kind=geom.geom_type
    )


def validity_problem(geom: BaseGeometry | None) -> str | None:
    """None for a valid geometry, else GEOS's reason (e.g. 'Self-intersection[72.8 40.5]')."""
    if geom is None or geom.is_valid:
        return None
    return shapely.is_valid_reason(geom)


def as_multipolygons(
    geoms: Sequence[BaseGeometry | None], field: str = "geometry"
) -> tuple[np.ndarray, dict[int, ValidationError]]:
    """`as_multipolygon` of many geometries at once, for imports of whole files.

    Returns an object array with a MultiPolygon, or None where the geometry is missing,
    empty or not a polygon, and the ValidationError of each position that is not a
    polygon. Polygons and MultiPolygons, nearly every row of an officer's file, are
    handled in GEOS a whole array at a time; anything else goes through
    `as_multipolygon` one by one.
    """
    shapes = np.empty(len(geoms), dtype=object)
    shapes[:] = list(geoms)
    with_z = shapely.has_z(shapes)
    if with_z.any():
        shapes[with_z] = shapely.force_2d(shapes[with_z])
    types = shapely.get_type_id(shapes)
    present = (types >= 0) & ~shapely.is_empty(shapes)
    out = np.full(len(shapes), None, dtype=object)
    polygons = present & (types == shapely.GeometryType.POLYGON)
    if polygons.any():
        out[polygons] = shapely.multipolygons(shapes[polygons].reshape(-1, 1))
    multi = present & (types == shapely.GeometryType.MULTIPOLYGON)
    out[multi] = shapes[multi]
    errors: dict[int, ValidationError] = {}
    for i in np.flatnonzero(present & ~polygons & ~multi):
        try:
            out[i] = as_multipolygon(shapes[i], field)
        except ValidationError as exc:
            errors[int(i)] = exc
    return out, errors


def validity_problems(geoms: np.ndarray) -> list[str | None]:
    """`validity_problem` of each geometry of an object array (None where valid or
    missing); GEOS checks the whole array at once."""
    problems: list[str | None] = [None] * len(geoms)
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    for i in np.flatnonzero(invalid):
        problems[i] = shapely.is_valid_reason(geoms[i])
    return problems


def to_db(geom: BaseGeometry | None) -> WKBElement | None:
    """A shapely geometry in EPSG:4326 as the value of a geometry column."""
    return None if geom is None else from_shape(geom, srid=SRID)


def from_db(value: WKBElement | None) -> BaseGeometry | None:
    """A geometry column's value as a shapely geometry (EPSG:4326)."""
    return None if value is None else to_shape(value)


def to_geojson(geom: BaseGeometry | None) -> dict | None:
    """A shapely geometry as a GeoJSON geometry object."""
    return None if geom is None else shapely.geometry.mapping(geom)
