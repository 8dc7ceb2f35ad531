"""Small GeoJSON overlays of the public map: economic-planning zones and municipal borders.

Both are a handful of polygons per city, so GeoJSON is cheaper than another tile pyramid;
PostGIS simplifies and serialises them in one statement. Parcels are never sent this way:
they are too many and go as vector tiles (inventory.services.public.tiles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.public.parcels import localized

#: Coordinates are rounded to this many decimals (about 10 cm): more is noise in a browser.
PRECISION = 6
#: The simplification tolerance is this fraction of the asked box's width: under a pixel.
_TOLERANCE_PER_WIDTH = 1 / 2000
#: Borders are drawn at city scale; about 20 m of simplification is invisible there.
BOUNDARY_TOLERANCE = 0.0002


@dataclass(frozen=True)
class BBox:
    """A [west, south, east, north] box in degrees, checked to be a real box on Earth."""

    west: float
    south: float
    east: float
    north: float

    @property
    def tolerance(self) -> float:
        return (self.east - self.west) * _TOLERANCE_PER_WIDTH


class BBoxError(ValueError):
    """The text is not a `west,south,east,north` box in degrees."""


def parse_bbox(text: str) -> BBox:
    """Parse `west,south,east,north`; raise BBoxError unless it is a box inside ±180/±90."""
    parts = text.split(",")
    if len(parts) != 4:
        raise BBoxError("bbox must be west,south,east,north")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError as exc:
        raise BBoxError("bbox must hold four numbers") from exc
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BBoxError("bbox must hold four finite numbers")
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BBoxError("bbox must be west < east within ±180 and south < north within ±90")
    return BBox(west, south, east, north)


def zones_geojson(session: so.Session, bbox: BBox) -> str:
    """A FeatureCollection of the zones in force today that touch `bbox`, as JSON text.

    Each feature carries `code`, `name`, `kz`, `is_demo` and `municipality` (slug);
    geometry is simplified to below a pixel of a map showing the box.
    """
    return session.execute(
        _ZONES_SQL,
        {
            "west": bbox.west,
            "south": bbox.south,
            "east": bbox.east,
            "north": bbox.north,
            "tolerance": bbox.tolerance,
        },
    ).scalar_one()


def boundaries_geojson(session: so.Session, language: str) -> str:
    """A FeatureCollection of the municipalities' borders (`slug`, `name`), as JSON text."""
    return session.execute(
        sa.text(f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features',
                                 coalesce(json_agg(feature ORDER BY id), '[]'::json))::text
        FROM (SELECT m.id, json_build_object(
                  'type', 'Feature', 'id', m.id,
                  'properties', json_build_object('slug', m.slug,
                                                  'name', {localized("m", language)}),
                  'geometry', ST_AsGeoJSON(
                      ST_SimplifyPreserveTopology(m.boundary, :tolerance),
                      {PRECISION})::json) AS feature
              FROM municipality m
              WHERE m.boundary IS NOT NULL) AS rows
    """),
        {"tolerance": BOUNDARY_TOLERANCE},
    ).scalar_one()


_ZONES_SQL = sa.text(f"""
SELECT json_build_object('type', 'FeatureCollection', 'features',
                         coalesce(json_agg(feature ORDER BY id), '[]'::json))::text
FROM (SELECT ez.id, json_build_object(
          'type', 'Feature', 'id', ez.id,
          'properties', json_build_object('code', ez.code, 'name', ez.name,
                                          'kz', ez.kz, 'is_demo', ez.is_demo,
                                          'municipality', m.slug),
          'geometry', ST_AsGeoJSON(
              ST_SimplifyPreserveTopology(ez.geom, :tolerance), {PRECISION})::json) AS feature
      FROM economic_zone ez
      JOIN municipality m ON m.id = ez.municipality_id
      WHERE ez.geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)
        AND ez.valid_from <= current_date
        AND (ez.valid_to IS NULL OR ez.valid_to >= current_date)) AS rows
""")
