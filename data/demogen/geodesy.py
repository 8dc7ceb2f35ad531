"""Coordinates: local metric frames, the rounding the files hold, Kyrg-06 measurement.

Geometry is built in a transverse Mercator frame centred on each municipality (metres,
x east, y north), moved to EPSG:4326 and rounded to 7 decimals (about 1 cm) exactly as
written. Every derived number (measured area, centroids, inspection positions) is then
computed from those rounded coordinates, so a reader of the files gets the same values.
Areas are measured like the platform does: in the Kyrg-06 zone (EPSG:7692..7696, 3° wide,
zone 2 = 70°01'..73°01' E) covering the object's longitude.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon

DECIMALS = 7
GRID = 1e-7  # degrees: the precision of the written coordinates
_KYRG06_WEST_EDGE = 67.0 + 1.0 / 60.0  # zone 1 starts at 67°01'E


def kyrg06_srid(longitude: float) -> int:
    """The Kyrg-06 EPSG code whose 3° zone covers this longitude (7692..7696)."""
    zone = math.floor((longitude - _KYRG06_WEST_EDGE) / 3.0)
    return 7692 + min(max(zone, 0), 4)


@lru_cache(maxsize=16)
def _from_lonlat(srid: int) -> Transformer:
    return Transformer.from_crs("EPSG:4326", f"EPSG:{srid}", always_xy=True)


class LocalFrame:
    """A metric frame centred on (lon0, lat0) and the way back to rounded lon/lat."""

    def __init__(self, lon0: float, lat0: float):
        self.lon0, self.lat0 = lon0, lat0
        local = (
            f"+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k=1 +x_0=0 +y_0=0 "
            "+ellps=GRS80 +units=m +no_defs"
        )
        self._to_lonlat = Transformer.from_crs(local, "EPSG:4326", always_xy=True)
        self._to_local = Transformer.from_crs("EPSG:4326", local, always_xy=True)

    def lonlat(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Rounded lon/lat arrays of local points (the values the files will hold)."""
        lon, lat = self._to_lonlat.transform(np.asarray(x, float), np.asarray(y, float))
        return np.round(lon, DECIMALS), np.round(lat, DECIMALS)

    def local(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        return self._to_local.transform(np.asarray(lon, float), np.asarray(lat, float))

    def geometry(self, geom):
        """A local shapely geometry in lon/lat, snapped to the 7-decimal grid and valid."""
        moved = shapely.transform(
            geom, lambda xy: np.column_stack(self._to_lonlat.transform(xy[:, 0], xy[:, 1]))
        )
        return shapely.set_precision(moved, GRID)


def quad_areas(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(area m², srid) of quadrilaterals given as (n, 4) lon/lat arrays of rounded corners,
    each measured in the Kyrg-06 zone of its mean longitude (the shoelace formula)."""
    n = lon.shape[0]
    areas = np.zeros(n)
    srids = (
        np.array([kyrg06_srid(v) for v in lon.mean(axis=1)], dtype=np.int32)
        if n
        else np.zeros(0, dtype=np.int32)
    )
    for srid in sorted(set(srids.tolist())):
        rows = srids == srid
        x, y = _from_lonlat(srid).transform(lon[rows], lat[rows])
        x, y = np.asarray(x), np.asarray(y)
        areas[rows] = 0.5 * np.abs(
            (x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y).sum(axis=1)
        )
    return areas, srids


def geometry_area(geom) -> float:
    """Area in m² of a lon/lat geometry, measured in the Kyrg-06 zone of its
    representative point (what the platform's inventory_area_m2 does)."""
    if geom is None or geom.is_empty:
        return 0.0
    transformer = _from_lonlat(kyrg06_srid(geom.representative_point().x))
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    ).area


def multipolygon(geom) -> MultiPolygon:
    """Polygon parts of a lon/lat geometry as a MultiPolygon, without the slivers that
    floating point leaves along shared edges (parts and holes under 1e-9 square
    degrees, about 9 m²)."""
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and p.area > 1e-9]
    cleaned = []
    for p in parts:
        holes = [h for h in p.interiors if Polygon(h).area > 1e-9]
        cleaned.append(Polygon(p.exterior, holes))
    return MultiPolygon(cleaned)
