"""The planted anomalies: the cases the anomaly engine must find, and nothing else.

Every rule of data/README.md is planted at a realistic rate (1-5 % of the objects it
could concern), each case on objects that are otherwise clean, and recorded in
planted.csv with a sentence an officer could act on. Cases are chosen so that one case
never sets off another rule by accident: a parcel without geometry is never leased or
inspected, an overlap is drawn before areas are measured (so it is no area mismatch),
a contract ending soon is fully paid, rents are compared with the zone valid at as_of.

Planting runs in two phases: `plant_parcels` here, before the parcels are measured and
leased (geometry, codes, areas, parcels forced into a lease onto protected land), and
`demogen.planting_leases.plant_leases` after the contracts exist (dates, rents,
payments, inspections).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from shapely.geometry import Polygon

from demogen.parcels import Parcel
from demogen.zones import zone_at

COMMERCIAL_DESIGNATED = ("trade", "catering", "parking", "car_wash")


@dataclass(slots=True)
class Planted:
    """One row of planted.csv; the key and detail are read when it is written, after
    every later change of codes and numbers."""

    rule: str
    kind: str  # "parcel", "contract", "parcel_pair" or "contract_pair"
    objects: tuple
    detail: Callable[[], str]

    @property
    def key(self) -> str:
        keys = [getattr(o, "code", None) or o.number for o in self.objects]
        return "|".join(sorted(keys))


def quota(rate: float, pool: int) -> int:
    """How many cases to plant among `pool` eligible objects (at least one once the
    pool holds 20)."""
    n = round(rate * pool)
    return max(n, 1) if pool >= 20 else n


def take(rng: random.Random, pool: list, k: int) -> list:
    return rng.sample(pool, min(k, len(pool)))


def tag(rule: str, *objects) -> None:
    for o in objects:
        o.planted.append(rule)


# -- phase A: parcels ------------------------------------------------------------------------


def plant_parcels(town) -> None:
    """Geometry, code and area cases, and parcels that will be leased onto protected
    land; runs before parcels are measured and leased."""
    rng = town.rng("planting-parcels")
    parcels = town.parcels
    n = len(parcels)

    def pool(test=lambda p: True) -> list[Parcel]:
        return [
            p
            for p in parcels
            if p.clean and not p.plan and p.rect is not None and p.use != "social" and test(p)
        ]

    for p in take(rng, pool(), quota(0.003, n)):
        p.geometry, p.plan, p.inspect = "none", "free", False
        tag("dq_no_geometry", p)
        town.plant(
            "dq_no_geometry",
            "parcel",
            (p,),
            lambda p=p: f"no polygon: the register has {p.documented} m² on paper but no drawing",
        )
    for p in take(rng, pool(), quota(0.0025, n)):
        p.geometry, p.plan, p.inspect = "invalid", "free", False
        tag("dq_invalid_geometry", p)
        town.plant(
            "dq_invalid_geometry",
            "parcel",
            (p,),
            lambda: "self-intersecting outline: two corners were digitised in the wrong order",
        )
    for p in take(rng, pool(), quota(0.014, n)):
        p.doc_factor = rng.uniform(0.55, 0.83) if rng.random() < 0.4 else rng.uniform(1.18, 1.65)
        tag("area_mismatch", p)
        town.plant(
            "area_mismatch",
            "parcel",
            (p,),
            lambda p=p: (
                f"{p.documented} m² on the papers, {p.measured:.1f} m² measured "
                f"({(p.documented / p.measured - 1) * 100:+.1f} %)"
            ),
        )
    before = len(parcels)
    _overlaps(town, rng)
    _protected(town, rng)
    _codes(town, rng)
    # Plots drawn in by planting replace lots that would have been registered last, so
    # the municipality keeps exactly its number of parcels.
    extra = len(parcels) - before
    dropped: set[int] = set()
    for p in reversed(parcels[:before]):
        if len(dropped) >= extra:
            break
        if p.clean and not p.plan:
            dropped.add(id(p))
    parcels[:] = [p for p in parcels if id(p) not in dropped]


def _overlaps(town, rng: random.Random) -> None:
    parcels = town.parcels
    n = len(parcels)
    pairs = [
        (b, a)
        for b, a in zip(parcels, parcels[1:], strict=False)
        if b.block is a.block
        and b.rect
        and a.rect
        and b.rect[1] == a.rect[1]
        and b.rect[2] < a.rect[0]
        and a.rect[2] - a.rect[0] >= 12
        and b.use != "social"
        and a.use != "social"
    ]
    for b, a in take(rng, pairs, quota(0.003, n)):
        if not (b.clean and a.clean and not b.plan and not a.plan):
            continue
        into = rng.uniform(1.5, 4.0)  # metres over the 1.2 m gap into the neighbour
        u0, v0, _, v1 = b.rect
        b.rect = (u0, v0, a.rect[0] + into, v1)
        tag("parcel_overlap", a, b)
        town.plant(
            "parcel_overlap",
            "parcel_pair",
            (a, b),
            lambda b=b, into=into: (
                f"the outline of {b.code} runs {into:.1f} m into its neighbour "
                f"(about {into * (b.rect[3] - b.rect[1]):.0f} m²)"
            ),
        )
    # A kiosk plot cut out of a greening parcel without changing the greening parcel.
    hosts = [
        p
        for p in parcels
        if p.clean
        and not p.plan
        and p.use == "greening"
        and p.rect
        and p.rect[2] - p.rect[0] >= 16
        and p.rect[3] - p.rect[1] >= 22
    ]
    for host in take(rng, hosts, quota(0.0012, n)):
        u0, v0, u1, v1 = host.rect
        w, h = rng.uniform(5, 9), rng.uniform(4, 7)
        v = v0 + 2 if host.front == "south" else v1 - 2 - h
        kiosk = Parcel(
            code=host.code[:-4] + f"{90 + host.lot:04d}",
            address=host.address + "/1",
            category="settlements",
            use="trade",
            block=host.block,
            lot=90 + host.lot,
            rect=(u0 + 2, v, u0 + 2 + w, v + h),
            front=host.front,
            plan="current-solo",
            lease_use="trade",
            doc_factor=host.doc_factor,
        )
        parcels.append(kiosk)
        tag("parcel_overlap", host, kiosk)
        town.plant(
            "parcel_overlap",
            "parcel_pair",
            (host, kiosk),
            lambda k=kiosk, h=host: (
                f"kiosk plot {k.code} ({k.documented} m²) lies inside greening parcel {h.code}"
            ),
        )


def _protected(town, rng: random.Random) -> None:
    """Commercial plots on protected land: kiosks in parks, car washes on the river
    bank, shops built out over the red line of a main street."""
    geo, spec, parcels = town.geo, town.geo.spec, town.parcels
    n = len(parcels)
    kiosks = min(len(geo.parks), max(1, round(len(geo.parks) * 0.35))) if geo.parks else 0
    for name, block in take(rng, list(geo.parks), kiosks):
        d = block.district
        w, h = rng.uniform(6, 12), rng.uniform(5, 9)
        u0, v0 = block.u0 + rng.uniform(5, 20), block.v0 + 5
        use = rng.choice(("catering", "trade"))
        street = geo.streets.name(("h", d.index, block.j), d.main_v[block.j])
        house = 2 * int((u0 - d.us[0]) // 10) + 1
        p = Parcel(
            code=f"{spec.code_prefix}-{d.index:02d}-{block.number:04d}-0001",
            address=f"{street}, {house}а",
            category="settlements",
            use=use,
            block=block,
            lot=1,
            rect=(u0, v0, u0 + w, v0 + h),
            front="south",
            plan="current-solo",
            lease_use=use,
            doc_factor=rng.uniform(0.98, 1.02),
        )
        parcels.append(p)
        tag("protected_layer_lease", p)
        town.pending_protected.append((p, "green_zone", name))
    if geo.river_line is not None and geo.water:
        _river_bank(town, rng, quota(0.0012, n))
    fronting = [
        p
        for p in parcels
        if p.clean
        and not p.plan
        and p.rect
        and p.use in COMMERCIAL_DESIGNATED
        and p.block is not None
        and p.block.district.main_v[p.block.j if p.front == "south" else p.block.j + 1]
    ]
    for p in take(rng, fronting, quota(0.0015, n)):
        out = rng.uniform(3.0, 5.0)
        u0, v0, u1, v1 = p.rect
        p.rect = (u0, v0 - out, u1, v1) if p.front == "south" else (u0, v0, u1, v1 + out)
        p.plan, p.lease_use = "current-solo", p.use
        tag("protected_layer_lease", p)
        town.pending_protected.append((p, "red_line", None))


def _river_bank(town, rng: random.Random, count: int) -> None:
    geo, spec = town.geo, town.geo.spec
    line, (strip_name, strip) = geo.river_line, geo.water[0]
    river = strip_name.split(": ", 1)[-1]
    placed: list[Polygon] = []
    for k in range(count):
        for _ in range(40):
            s = line.length * rng.uniform(0.05, 0.95)
            a, b = line.interpolate(s), line.interpolate(min(s + 1.0, line.length))
            length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
            tx, ty = (b.x - a.x) / length, (b.y - a.y) / length
            nx, ny = -ty, tx
            off = rng.choice((-1, 1)) * rng.uniform(10, 16)
            cx, cy = a.x + nx * off, a.y + ny * off
            w, h = rng.uniform(14, 22) / 2, rng.uniform(9, 13) / 2
            corners = tuple(
                (cx + tx * i * w + nx * j * h, cy + ty * i * w + ny * j * h)
                for i, j in ((-1, -1), (1, -1), (1, 1), (-1, 1))
            )
            poly = Polygon(corners)
            if not (strip.contains(poly) and geo.boundary.contains(poly)):
                continue
            if any(poly.distance(q) < 60 for q in placed):
                continue
            zone = zone_at(town.zones, town.as_of, poly)
            if zone is None:
                continue
            placed.append(poly)
            p = Parcel(
                code=f"{spec.code_prefix}-01-{9001 + k:04d}-0001",
                address=f"наб. {river}, {k + 1}",
                category="settlements",
                use="car_wash",
                block=None,
                lot=1,
                rect=None,
                front="south",
                corners=corners,
                plan="current-solo",
                lease_use="car_wash",
                doc_factor=rng.uniform(0.98, 1.02),
                zone_code=zone.code,
                zone_kz=zone.kz,
            )
            town.parcels.append(p)
            tag("protected_layer_lease", p)
            town.pending_protected.append((p, "water_protection", strip_name))
            break


def bad_code(code: str, rng: random.Random) -> str:
    """A code as typos and old software spoil it, never matching the pattern."""
    parts = code.split("-")
    variants = [
        "-".join(parts[:3]) + "-" + parts[3] + parts[4],  # a hyphen lost
        ".".join(parts),  # dots
        "–".join(parts),  # en dashes from a word processor
        code.replace("-", " ", 1),  # a space
        parts[0] + parts[1] + "-" + "-".join(parts[2:]),  # prefix run together
        code + "а",
    ]  # a Cyrillic letter appended
    if "0" in parts[4]:
        variants.append(code[:-4] + parts[4].replace("0", "O", 1))  # letter O for zero
    return rng.choice(variants)


def _codes(town, rng: random.Random) -> None:
    parcels = town.parcels
    n = len(parcels)
    pattern = town.code_regex
    for p in take(rng, [p for p in parcels if p.clean and p.rect], quota(0.005, n)):
        old = p.code
        p.code = bad_code(old, rng)
        assert not pattern.match(p.code), p.code
        tag("dq_bad_code", p)
        town.plant(
            "dq_bad_code",
            "parcel",
            (p,),
            lambda p=p, old=old: f"code '{p.code}' does not match the pattern (probably {old})",
        )
    pool = [p for p in parcels if p.clean and p.rect and p.code.split("-")[3][0] == "0"]
    partners = [p for p in parcels if p.clean and p.rect][:600]
    for a in take(rng, pool, quota(0.0025, n)):
        others = [b for b in partners if b.clean and b is not a and b.block is not a.block]
        if not a.clean or not others:
            continue
        b = rng.choice(others)
        parts = a.code.split("-")
        parts[3] = parts[3][1:]  # the old 3-digit writing of the same block number
        old = b.code
        b.code = "-".join(parts)
        tag("dq_duplicate_code", a, b)
        town.plant(
            "dq_duplicate_code",
            "parcel_pair",
            (a, b),
            lambda a=a, b=b, old=old: (
                f"'{b.code}' is '{a.code}' without a leading zero (another lot; "
                f"its own code was probably {old})"
            ),
        )
