"""Economic-planning zones (with their Kz) and base rates of each municipality.

Zones are rings around the centre (Osh: three rings and two outer sectors, amended in
2025 when parts of Kara-Suu district were joined). Their edges are then moved onto the
streets: every grid cell belongs wholly to the zone of its block's centre, so a parcel
never straddles two zones and its centroid lies in exactly one zone of each period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from demogen import geodesy
from demogen.cities import OSH_AMENDMENT, ZONES_FROM, CitySpec
from demogen.geography import Block, Geography

_ONE_DAY = dt.timedelta(days=1)


@dataclass
class Zone:
    code: str
    name: str
    kz: float
    valid_from: dt.date
    valid_to: dt.date | None
    shape: Polygon  # the geometric zone before it is moved onto the streets (local)
    geom: object = None  # final local geometry
    lonlat: MultiPolygon | None = None

    def valid_at(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _rings(spec: CitySpec, land: Polygon) -> list[Zone]:
    zones, inner = [], None
    for ring in spec.rings:
        disc = Point(0, 0).buffer(ring.radius, quad_segs=32) if ring.radius else land
        shape = disc.intersection(land)
        if inner is not None:
            shape = shape.difference(inner)
        zones.append(Zone(ring.code, ring.name, ring.kz, ZONES_FROM, None, shape))
        inner = disc if inner is None else inner.union(disc)
    return zones


def _osh(spec: CitySpec, geo: Geography) -> list[Zone]:
    """Three rings; beyond them a western-southern sector (IV) and a north-eastern one
    (V). From 1 July 2025 zone V is split: its southern half is re-rated (V, lower Kz)
    and its northern half joins the new land from Kara-Suu district (VI, higher Kz)."""
    old_land = geo.boundary_old if geo.boundary_old is not None else geo.boundary
    zones = _rings(spec, old_land)
    inner = shapely.union_all([z.shape for z in zones])
    outer_old = old_land.difference(inner)
    west = box(-1e6, -1e6, -500, 1e6)
    zones.append(
        Zone(
            "ЭПЗ-4",
            "Зона IV — западная и южная окраины",
            0.5,
            ZONES_FROM,
            None,
            outer_old.intersection(west),
        )
    )
    east_old = outer_old.difference(west)
    amended = geo.boundary_old is not None
    zones.append(
        Zone(
            "ЭПЗ-5",
            "Зона V — северо-восточная окраина",
            0.6,
            ZONES_FROM,
            OSH_AMENDMENT - _ONE_DAY if amended else None,
            east_old,
        )
    )
    if amended:
        south = box(-1e6, -1e6, 1e6, 0)
        joined = geo.boundary.difference(old_land)
        zones.append(
            Zone(
                "ЭПЗ-5",
                "Зона V — юго-восточная окраина",
                0.45,
                OSH_AMENDMENT,
                None,
                east_old.intersection(south),
            )
        )
        zones.append(
            Zone(
                "ЭПЗ-6",
                "Зона VI — северо-восток и присоединённые части Кара-Суйского района",
                0.7,
                OSH_AMENDMENT,
                None,
                east_old.difference(south).union(joined),
            )
        )
    return zones


def _owner(zones: list[Zone], x: float, y: float) -> int:
    """Index of the zone (among `zones`) whose shape covers the point, else the nearest."""
    p = Point(x, y)
    for k, z in enumerate(zones):
        if z.shape.covers(p):
            return k
    return min(range(len(zones)), key=lambda k: zones[k].shape.distance(p))


def build(geo: Geography, as_of: dt.date) -> list[Zone]:
    """The zones of every period, moved onto the streets; sets each block's zone and Kz
    valid at as_of."""
    spec = geo.spec
    zones = _osh(spec, geo) if spec.layout == "osh" else _rings(spec, geo.boundary)
    periods: dict[dt.date, list[Zone]] = {}
    for zone in zones:
        periods.setdefault(zone.valid_from, [z for z in zones if z.valid_at(zone.valid_from)])
    for peers in periods.values():
        land = shapely.union_all([z.shape for z in peers])
        cells: list[list] = [[] for _ in peers]
        for block in geo.blocks:
            if land.covers(Point(block.cx, block.cy)):
                cells[_owner(peers, block.cx, block.cy)].append(block.cell())
        owned = [shapely.union_all(shapely.polygons(c)) if c else Polygon() for c in cells]
        for k, zone in enumerate(peers):
            if zone.geom is not None:
                continue  # a zone valid in several periods keeps its first shape
            others = shapely.union_all([o for n, o in enumerate(owned) if n != k])
            geom = zone.shape.difference(others).union(owned[k]).intersection(land)
            zone.geom = geom
    current = [z for z in zones if z.valid_at(as_of)]
    for block in geo.blocks:
        z = current[_owner_geom(current, block)]
        block.zone, block.kz = z.code, z.kz
    for zone in zones:
        zone.lonlat = geodesy.multipolygon(geo.frame.geometry(zone.geom))
    return zones


def _owner_geom(zones: list[Zone], block: Block) -> int:
    p = Point(block.cx, block.cy)
    for k, z in enumerate(zones):
        if z.geom.covers(p):
            return k
    raise ValueError(f"block at {block.cx:.0f},{block.cy:.0f} is in no zone")


def zone_at(zones: list[Zone], as_of: dt.date, geom_local) -> Zone | None:
    """The zone valid at as_of that wholly contains a local geometry, if any."""
    for z in zones:
        if z.valid_at(as_of) and z.geom.contains(geom_local):
            return z
    return None


def base_rates(spec: CitySpec, categories: tuple[str, ...]) -> list[tuple[str, float]]:
    """(land category, som per m² per year) for every category, in reference order."""
    return [(c, float(spec.rates[c])) for c in categories if c in spec.rates]
