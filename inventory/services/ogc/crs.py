"""Coordinate reference systems of the OGC API (Features Part 2: `crs`, `bbox-crs`,
`filter-crs`).

Geometry is stored in lon/lat (EPSG:4326 values in CRS84 axis order); another CRS is
made by PostGIS in the query (`ST_Transform`), never in Python. EPSG:4326 proper has
latitude first, so its coordinates are swapped (`ST_FlipCoordinates`); the Kyrg-06 zones
and Web Mercator are easting, northing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inventory.services.errors import ValidationError

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


@dataclass(frozen=True)
class Crs:
    """A CRS clients may ask for: its URI, its SRID in PostGIS, whether its first axis
    is latitude, and how many decimal digits a coordinate is written with."""

    uri: str
    srid: int
    lat_first: bool
    precision: int

    @property
    def is_storage(self) -> bool:
        """True for CRS84: coordinates as stored, nothing to transform."""
        return self.srid == 4326 and not self.lat_first


DEFAULT = Crs(CRS84, 4326, False, 7)
#: Offered to clients, in this order. Metres get 3 decimals (a millimetre).
SUPPORTED: tuple[Crs, ...] = (
    DEFAULT,
    Crs(f"{_EPSG}4326", 4326, True, 7),
    Crs(f"{_EPSG}7693", 7693, False, 3),
    Crs(f"{_EPSG}7694", 7694, False, 3),
    Crs(f"{_EPSG}3857", 3857, False, 3),
)
URIS = [crs.uri for crs in SUPPORTED]
_BY_URI = {crs.uri: crs for crs in SUPPORTED}


def parse_crs(raw: str | None, field: str) -> Crs:
    """The CRS a parameter names: its URI, `EPSG:n`, `[EPSG:n]` or `OGC:CRS84`; CRS84
    when absent. Raises ValidationError naming the parameter for any other."""
    if raw in (None, ""):
        return DEFAULT
    text = raw.strip().strip("[]")
    short = re.fullmatch(r"(?i)(EPSG|OGC):+(\w+)", text)
    if short:
        text = CRS84 if short[2].upper() == "CRS84" else f"{_EPSG}{short[2]}"
    found = _BY_URI.get(text.replace("https://", "http://"))
    if found is None:
        raise ValidationError(
            "unsupported CRS; supported: %(supported)s", field=field, supported=", ".join(URIS)
        )
    return found


def output_sql(crs: Crs, column: str) -> str:
    """SQL of the stored lon/lat geometry `column` in `crs`."""
    if crs.is_storage:
        return column
    shape = column if crs.srid == 4326 else f"ST_Transform({column}, {crs.srid})"
    return f"ST_FlipCoordinates({shape})" if crs.lat_first else shape


def input_sql(crs: Crs, geometry: str) -> str:
    """SQL of `geometry`, given in `crs` (with its SRID not yet set), in lon/lat."""
    shape = f"ST_FlipCoordinates({geometry})" if crs.lat_first else geometry
    if crs.srid == 4326:
        return f"ST_SetSRID({shape}, 4326)"
    return f"ST_Transform(ST_SetSRID({shape}, {crs.srid}), 4326)"
