"""Municipal land parcels: which blocks hold them, how blocks split into lots, and each
parcel's code, address, land category and designated use.

Municipal land is scattered: whole blocks are picked (central ones more often) until the
municipality has its number of parcels. A block splits into one or two rows of lots
fronting the streets on its long sides; lots are smaller near the centre, and a few
blocks are one large lot (a school, a stadium, a depot). Every lot stands LOT_SETBACK
back from every dividing line, so neighbouring parcels are 1.2 m apart and never overlap.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from demogen.geography import LOT_SETBACK, Block, Geography
from demogen.randomness import pick, weighted_order

#: Designated uses of lots by district band (weights; demo values).
LOT_USES = {
    "centre": {
        "trade": 26,
        "catering": 14,
        "greening": 20,
        "parking": 8,
        "housing_multi": 10,
        "housing_individual": 9,
        "social": 5,
        "recreation": 3,
        "car_wash": 2,
        "sport": 2,
    },
    "middle": {
        "housing_individual": 30,
        "greening": 18,
        "trade": 14,
        "catering": 7,
        "parking": 6,
        "car_wash": 4,
        "housing_multi": 6,
        "social": 5,
        "agriculture": 4,
        "industry": 3,
        "sport": 2,
        "recreation": 1,
    },
    "outer": {
        "housing_individual": 30,
        "agriculture": 22,
        "greening": 10,
        "industry": 10,
        "car_wash": 5,
        "parking": 5,
        "trade": 8,
        "catering": 3,
        "social": 5,
        "sport": 2,
    },
}
#: Uses of blocks that are one large lot.
WHOLE_USES = {
    "centre": {"social": 60, "sport": 25, "recreation": 15},
    "middle": {"social": 50, "sport": 25, "industry": 10, "recreation": 15},
    "outer": {"industry": 45, "social": 30, "sport": 15, "agriculture": 10},
}
WHOLE_SHARE = 0.07


@dataclass(slots=True, eq=False)
class Parcel:
    """A parcel as generated: geometry in the local frame until finalised to lon/lat."""

    code: str
    address: str
    category: str
    use: str  # designated use
    block: Block | None
    lot: int  # lot number within the block
    rect: tuple[float, float, float, float] | None  # u0, v0, u1, v1 in the block's grid
    front: str  # "south" or "north": the side facing the addressed street
    corners: tuple | None = None  # local x/y corners when not a grid rectangle
    geometry: str = "valid"  # "valid", "none" (no geometry) or "invalid" (self-crossing)
    status: str = "free"
    plan: str = ""  # lease plan forced by planting ("" = decided at random)
    lease_use: str = ""
    doc_factor: float = 1.0  # documented area / measured area
    documented: int = 0
    measured: float = 0.0
    lonlat: tuple | None = None  # 4 rounded (lon, lat) corners
    inspect: bool = True  # may be inspected
    planted: list[str] = field(default_factory=list)  # rules planted on it
    contracts: list = field(default_factory=list)  # contracts naming it, in date order
    buildings: list = field(default_factory=list)
    final_inspection: tuple | None = None  # (day, occupied, observed use, note), planted
    zone_code: str = ""  # for parcels outside the blocks (set from the zone map)
    zone_kz: float = 0.0

    @property
    def kz(self) -> float:
        return self.zone_kz or self.block.kz

    @property
    def zone(self) -> str:
        return self.zone_code or self.block.zone

    def local_corners(self) -> tuple:
        if self.corners is not None:
            return self.corners
        return self.block.district.rect(*self.rect)

    @property
    def clean(self) -> bool:
        return not self.planted


def _split(rng: random.Random, lo: float, hi: float, width: tuple[float, float]) -> list:
    """Cut [lo, hi] into pieces of the given width range (the last absorbs the rest)."""
    cuts = [lo]
    while hi - cuts[-1] > width[1]:
        cuts.append(cuts[-1] + rng.uniform(*width))
    if hi - cuts[-1] < width[0] and len(cuts) > 1:
        cuts.pop()
    cuts.append(hi)
    return list(zip(cuts[:-1], cuts[1:], strict=True))


def _lots(rng: random.Random, block: Block, whole: bool) -> list[tuple]:
    """(u0, v0, u1, v1, front, house) of each lot of a block, set back from every
    dividing line. House numbers grow along the street: odd on its north side, even on
    its south side, one number per 10 m so that two lots never share one."""
    s = LOT_SETBACK
    d = block.district
    origin = d.us[0]

    def house(u0: float, north_side: bool) -> int:
        return 2 * int((u0 - origin) // 10) + (1 if north_side else 2)

    if whole:
        return [
            (block.u0 + s, block.v0 + s, block.u1 - s, block.v1 - s, "south", house(block.u0, True))
        ]
    rows = [(block.v0, block.v1, "south")]
    if block.v1 - block.v0 >= 50:
        mid = (block.v0 + block.v1) / 2
        rows = [(block.v0, mid, "south"), (mid, block.v1, "north")]
    lots = []
    for v0, v1, front in rows:
        for a, b in _split(rng, block.u0, block.u1, d.band.lot_w):
            lots.append((a + s, v0 + s, b - s, v1 - s, front, house(a, front == "south")))
    return lots


def _band(block: Block) -> str:
    r = block.district.r_norm
    return "centre" if r < 0.28 else "middle" if r < 0.65 else "outer"


def _category(rng: random.Random, use: str, band: str) -> str:
    if use == "industry":
        return "industry_transport"
    if use == "agriculture" and band == "outer" and rng.random() < 0.6:
        return "agricultural"
    if use in ("greening", "agriculture") and band == "outer" and rng.random() < 0.08:
        return "reserve"
    return "settlements"


def build(geo: Geography, rng: random.Random) -> tuple[list[Parcel], list[Block]]:
    """Exactly spec.target parcels, in blocks picked with a preference for the centre.
    Returns the parcels and the blocks picked."""
    spec = geo.spec
    scale = 0.45 * math.sqrt(spec.half_w * spec.half_h)
    free = [b for b in geo.blocks if b.kind == "lots"]
    order = weighted_order(rng, [math.exp(-b.r / scale) for b in free])
    parcels: list[Parcel] = []
    picked: list[Block] = []
    for k in order:
        if len(parcels) >= spec.target:
            break
        block = free[k]
        band = _band(block)
        whole = rng.random() < WHOLE_SHARE
        lots = _lots(rng, block, whole)[: spec.target - len(parcels)]
        picked.append(block)
        d = block.district
        for n, (u0, v0, u1, v1, front, house) in enumerate(lots, start=1):
            use = pick(rng, WHOLE_USES[band] if whole else LOT_USES[band])
            line = block.j if front == "south" else block.j + 1
            street = geo.streets.name(("h", d.index, line), d.main_v[line])
            parcels.append(
                Parcel(
                    code=f"{spec.code_prefix}-{d.index:02d}-{block.number:04d}-{n:04d}",
                    address=f"{street}, {house}",
                    category=_category(rng, use, band),
                    use=use,
                    block=block,
                    lot=n,
                    rect=(u0, v0, u1, v1),
                    front=front,
                )
            )
    if len(parcels) < spec.target:
        raise ValueError(
            f"{spec.slug}: the street grid holds only {len(parcels)} parcels, {spec.target} asked"
        )
    return parcels, picked


def finalize(parcels: list[Parcel], frame) -> None:
    """Move parcels to rounded lon/lat and measure them from those coordinates; the
    documented area is the measured one times the parcel's doc_factor (papers differ a
    little from the survey: within 2.5 % unless planted), in whole m²."""
    import numpy as np

    from demogen import geodesy

    drawn = [p for p in parcels if p.geometry != "none"]
    if drawn:
        xy = np.array([p.local_corners() for p in drawn], dtype=float)
        lon, lat = frame.lonlat(xy[:, :, 0], xy[:, :, 1])
        areas, _ = geodesy.quad_areas(lon, lat)
        for p, lo, la, area in zip(drawn, lon.tolist(), lat.tolist(), areas.tolist(), strict=True):
            p.lonlat = tuple(zip(lo, la, strict=True))
            p.measured = area
    for p in parcels:
        if p.geometry == "none":
            u0, v0, u1, v1 = p.rect
            p.measured = (u1 - u0) * (v1 - v0)  # what the lost drawing would measure
        p.documented = max(1, round(p.measured * p.doc_factor))


def clean_doc_factor(rng: random.Random) -> float:
    return rng.uniform(0.975, 1.025)
