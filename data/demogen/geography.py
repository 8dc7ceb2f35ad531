"""The physical city: boundary, districts with their street grids, blocks, parks, rivers.

Each municipality is cut into districts (Voronoi cells of jittered seeds); each district
carries its own slightly rotated street grid. A grid cell runs from street centreline to
street centreline, so the cells of one district tile it exactly; the block is the cell
minus half of each street. Blocks that touch a river's protection strip or a protected
hill stay empty. Everything here is in the municipality's local metric frame.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.affinity import rotate, scale, translate
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box

from demogen import geodesy
from demogen.cities import OSH_AMENDMENT, CitySpec
from demogen.names import COMMON_STREETS, PARKS
from demogen.randomness import weighted_order

#: Setback of a lot from every dividing line: neighbouring lots are 1.2 m apart.
LOT_SETBACK = 0.6
#: Red lines stop this far from the block edge (so 1.1 m from the nearest lot).
RED_LINE_SETBACK = 0.5


@dataclass(slots=True)
class Band:
    """Block and lot sizes of a district, by how central it is."""

    block_w: tuple[float, float]
    block_h: tuple[float, float]
    lot_w: tuple[float, float]
    street: tuple[float, float]
    main: tuple[float, float]
    main_every: int


BANDS = {
    "centre": Band((80, 120), (56, 76), (10.5, 17), (13, 16), (26, 32), 3),
    "middle": Band((110, 170), (64, 96), (13, 26), (12, 16), (24, 30), 4),
    "outer": Band((140, 220), (70, 110), (16, 36), (12, 15), (22, 28), 5),
}


@dataclass(slots=True, eq=False)
class District:
    """A district with its own rotated street grid (u along the grid's x axis)."""

    index: int
    ox: float
    oy: float
    cos: float
    sin: float
    r_norm: float
    band: Band
    us: list[float]  # street centrelines across u
    vs: list[float]
    su: list[float]  # their widths
    sv: list[float]
    main_u: list[bool]
    main_v: list[bool]
    region: Polygon

    def xy(self, u: float, v: float) -> tuple[float, float]:
        return (self.ox + u * self.cos - v * self.sin, self.oy + u * self.sin + v * self.cos)

    def rect(self, u0: float, v0: float, u1: float, v1: float) -> tuple:
        """Corners (counter-clockwise) of a grid rectangle in local x/y."""
        return (self.xy(u0, v0), self.xy(u1, v0), self.xy(u1, v1), self.xy(u0, v1))


@dataclass(slots=True, eq=False)
class Block:
    district: District
    i: int  # column: between vertical streets i and i+1
    j: int  # row: between horizontal streets j and j+1
    number: int  # within the district, for identification codes
    u0: float
    v0: float
    u1: float
    v1: float
    cx: float
    cy: float
    r: float  # metres from the city centre
    kind: str = "lots"  # "lots", "park" or "obstacle"
    zone: str = ""  # zone code valid at as_of
    kz: float = 0.0

    def cell(self) -> tuple:
        d = self.district
        return d.rect(d.us[self.i], d.vs[self.j], d.us[self.i + 1], d.vs[self.j + 1])

    def corners(self) -> tuple:
        return self.district.rect(self.u0, self.v0, self.u1, self.v1)


@dataclass
class Geography:
    """A municipality's land in its local frame, plus the street names handed out."""

    spec: CitySpec
    frame: geodesy.LocalFrame
    boundary: Polygon  # at as_of
    boundary_old: Polygon | None  # Osh before the 2025 amendment, if it applies
    districts: list[District]
    blocks: list[Block]
    parks: list[tuple[str, Block]]
    water: list[tuple[str, Polygon]]  # water protection strips
    green: list[tuple[str, Polygon]]  # protected green areas that are not blocks
    river_line: LineString | None
    streets: StreetNamer = field(init=False)

    def __post_init__(self):
        self.streets = StreetNamer(self.spec)


class StreetNamer:
    """Hands out unique street names: the city's own streets to the first main streets
    asked for (the central ones), then common names, then numbered lanes."""

    def __init__(self, spec: CitySpec):
        self._own = list(spec.streets)
        self._pool = [f"ул. {n}" for n in COMMON_STREETS if f"ул. {n}" not in spec.streets]
        self._names: dict[tuple, str] = {}
        self._round = 0

    def name(self, street: tuple, main: bool) -> str:
        found = self._names.get(street)
        if found is None:
            found = self._next(main)
            self._names[street] = found
        return found

    def _next(self, main: bool) -> str:
        if main and self._own:
            return self._own.pop(0)
        while not self._pool:
            self._round += 1
            prefix = (
                ("пер.", "проезд", "туп.")[self._round - 1]
                if self._round <= 3
                else f"{self._round - 2}-й пер."
            )
            self._pool = [f"{prefix} {n}" for n in COMMON_STREETS]
        return self._pool.pop(0)


def _boundary(spec: CitySpec, rng: random.Random, frame: geodesy.LocalFrame) -> Polygon:
    """A rounded, slightly irregular outline (a superellipse with smooth noise),
    clipped to the city's lon/lat box if it has one."""
    phases = [rng.uniform(0, 2 * math.pi) for _ in range(3)]
    points = []
    for k in range(120):
        t = 2 * math.pi * k / 120
        c, s = math.cos(t), math.sin(t)
        r = 1.0 / (abs(c / spec.half_w) ** 4 + abs(s / spec.half_h) ** 4) ** 0.25
        r *= 1 + 0.035 * sum(math.sin((n + 2) * t + p) for n, p in enumerate(phases)) / 3
        points.append((r * c, r * s))
    outline = Polygon(points)
    if spec.clip:
        west, south, east, north = spec.clip
        x, y = frame.local([west, east, east, west], [south, south, north, north])
        inside = Polygon(zip(x, y, strict=True)).buffer(-60, join_style="mitre")
        outline = outline.intersection(inside)
    return outline.simplify(0.5)


def _regions(
    spec: CitySpec, rng: random.Random, land: Polygon, split_y: float | None
) -> list[Polygon]:
    """District areas: Voronoi cells of seeds on a jittered lattice, shrunk by 15 m so
    districts never share an edge; cut along `split_y` (the 2025 Osh boundary)."""
    spacing = spec.region_spacing
    minx, miny, maxx, maxy = land.bounds
    seeds = []
    for gy in range(int((maxy - miny) // spacing) + 1):
        for gx in range(int((maxx - minx) // spacing) + 1):
            p = Point(
                minx + (gx + 0.5 + rng.uniform(-0.3, 0.3)) * spacing,
                miny + (gy + 0.5 + rng.uniform(-0.3, 0.3)) * spacing,
            )
            if land.contains(p):
                seeds.append(p)
    if len(seeds) < 2:  # a small town is one district
        ordered = [land]
    else:
        cells = shapely.get_parts(
            shapely.voronoi_polygons(MultiPoint(seeds), extend_to=land.envelope)
        )
        ordered = []
        for seed in seeds:  # voronoi output order is not the seed order
            cell = next(c for c in cells if c.contains(seed))
            ordered.append(cell.intersection(land))
    regions = []
    for area in ordered:
        parts = [area]
        if split_y is not None:
            north = box(-1e6, split_y, 1e6, 1e6)
            parts = [area.difference(north), area.intersection(north)]
        for part in parts:
            shrunk = part.buffer(-15, join_style="mitre")
            for piece in shapely.get_parts(shrunk):
                if piece.area > 150_000:
                    regions.append(piece)
    return regions


def _lines(
    rng: random.Random, lo: float, hi: float, size: tuple[float, float], band: Band
) -> tuple[list[float], list[float], list[bool]]:
    """Street centrelines from lo to hi, their widths, and which are main streets."""
    phase = rng.randrange(band.main_every)
    widths, mains, lines = [], [], [lo]

    def width(k: int) -> float:
        main = k % band.main_every == phase
        mains.append(main)
        return rng.uniform(*(band.main if main else band.street))

    widths.append(width(0))
    while lines[-1] < hi:
        widths.append(width(len(widths)))
        lines.append(lines[-1] + widths[-2] / 2 + rng.uniform(*size) + widths[-1] / 2)
    return lines, widths, mains


def _district(spec: CitySpec, rng: random.Random, index: int, region: Polygon) -> District:
    centre = region.centroid
    r_norm = math.hypot(centre.x, centre.y) / math.sqrt(spec.half_w * spec.half_h)
    band = BANDS["centre" if r_norm < 0.28 else "middle" if r_norm < 0.65 else "outer"]
    angle = math.radians(spec.grid_angle + rng.uniform(-12, 12))
    c, s = math.cos(angle), math.sin(angle)
    xy = np.asarray(region.exterior.coords) - (centre.x, centre.y)
    u = xy[:, 0] * c + xy[:, 1] * s
    v = -xy[:, 0] * s + xy[:, 1] * c
    us, su, mu = _lines(rng, u.min(), u.max(), band.block_w, band)
    vs, sv, mv = _lines(rng, v.min(), v.max(), band.block_h, band)
    return District(index, centre.x, centre.y, c, s, r_norm, band, us, vs, su, sv, mu, mv, region)


def _blocks(district: District, obstacles) -> list[Block]:
    """The blocks whose whole cell lies in the district; those near an obstacle are
    marked so that nothing is built on them."""
    d = district
    cand = [(i, j) for j in range(len(d.vs) - 1) for i in range(len(d.us) - 1)]
    if not cand:
        return []
    cells = shapely.polygons([d.rect(d.us[i], d.vs[j], d.us[i + 1], d.vs[j + 1]) for i, j in cand])
    shapely.prepare(d.region)
    inside = shapely.contains(d.region, cells)
    blocks = []
    for (i, j), ok in zip(cand, inside, strict=True):
        if not ok:
            continue
        u0, u1 = d.us[i] + d.su[i] / 2, d.us[i + 1] - d.su[i + 1] / 2
        v0, v1 = d.vs[j] + d.sv[j] / 2, d.vs[j + 1] - d.sv[j + 1] / 2
        cx, cy = d.xy((u0 + u1) / 2, (v0 + v1) / 2)
        blocks.append(Block(d, i, j, len(blocks) + 1, u0, v0, u1, v1, cx, cy, math.hypot(cx, cy)))
    if obstacles is not None and blocks:
        near = shapely.intersects(obstacles, shapely.polygons([b.corners() for b in blocks]))
        for b, hit in zip(blocks, near, strict=True):
            if hit:
                b.kind = "obstacle"
    return blocks


def build(
    spec: CitySpec, rng: random.Random, frame: geodesy.LocalFrame, as_of: dt.date
) -> Geography:
    """The municipality's boundary, districts, blocks, parks and protected strips."""
    outline = _boundary(spec, rng, frame)
    boundary, boundary_old, split = outline, None, None
    if spec.joined_y is not None:
        old = outline.difference(box(-1e6, spec.joined_y, 1e6, 1e6))
        if as_of >= OSH_AMENDMENT:
            boundary_old, split = old, spec.joined_y
        else:
            boundary = old  # the joined land is not the city's yet
    water, green, obstacles, river_line = [], [], [], None
    if spec.river:
        name, points, half = spec.river
        river_line = LineString(points)
        strip = river_line.buffer(half, cap_style="flat").intersection(boundary)
        water.append((f"Водоохранная зона: {name}", strip))
        obstacles.append(strip.buffer(8))
    if spec.mountain:
        name, cx, cy, a, b, turn = spec.mountain
        hill = rotate(scale(Point(0, 0).buffer(1, quad_segs=16), a, b), turn)
        hill = translate(hill, cx, cy).intersection(boundary)
        green.append((name, hill))
        obstacles.append(hill.buffer(8))
    blocked = shapely.union_all(obstacles) if obstacles else None
    if blocked is not None:
        shapely.prepare(blocked)
    districts, blocks = [], []
    for region in _regions(spec, rng, boundary, split):
        district = _district(spec, rng, len(districts) + 1, region)
        found = _blocks(district, blocked)
        if found:
            districts.append(district)
            blocks.extend(found)
    parks = _parks(spec, rng, blocks)
    return Geography(
        spec, frame, boundary, boundary_old, districts, blocks, parks, water, green, river_line
    )


def _parks(spec: CitySpec, rng: random.Random, blocks: list[Block]) -> list[tuple[str, Block]]:
    """Green blocks, mostly central; nothing is built on them."""
    scale_r = 0.35 * math.sqrt(spec.half_w * spec.half_h)
    free = [b for b in blocks if b.kind == "lots"]
    order = weighted_order(rng, [math.exp(-b.r / scale_r) for b in free])
    parks = []
    for n, k in enumerate(order[: spec.parks]):
        block = free[k]
        block.kind = "park"
        parks.append((PARKS[n] if n < len(PARKS) else f"Сквер №{n + 1}", block))
    return parks


def red_line(district: District, horizontal: bool, line: int) -> Polygon | None:
    """The red line of a street: its corridor between the blocks on either side,
    RED_LINE_SETBACK short of each block edge, clipped to the district."""
    d = district
    if horizontal:
        half = d.sv[line] / 2 - RED_LINE_SETBACK
        u0, u1 = d.us[0], d.us[-1]
        corners = d.rect(u0, d.vs[line] - half, u1, d.vs[line] + half)
    else:
        half = d.su[line] / 2 - RED_LINE_SETBACK
        v0, v1 = d.vs[0], d.vs[-1]
        corners = d.rect(d.us[line] - half, v0, d.us[line] + half, v1)
    strip = Polygon(corners).intersection(d.region)
    return None if strip.is_empty else strip
