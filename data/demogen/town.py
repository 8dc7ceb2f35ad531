"""One municipality from start to finish: land, parcels, leases, plantings, rows.

Municipalities are independent (their own random streams, no shared objects), so a run
generates them one after another, or side by side in worker processes, and appends
their rows to the files in slug order.
"""

from __future__ import annotations

import datetime as dt
import re

import shapely
from shapely.geometry import Polygon

from demogen import (
    buildings,
    geography,
    inspections,
    parcels,
    payments,
    planting,
    planting_leases,
    zones,
)
from demogen.cities import ZONES_FROM, CitySpec
from demogen.contracts import Leasing
from demogen.geodesy import LocalFrame, multipolygon
from demogen.people import Lessees
from demogen.planting import Planted
from demogen.randomness import stream
from demogen.writers import GEOJSON, feature, multipolygon_json, polygon_json


class Town:
    """Everything generated for one municipality."""

    def __init__(self, spec: CitySpec, reference, profile, seed: int, as_of: dt.date):
        self.spec, self.ref, self.profile, self.seed, self.as_of = (
            spec,
            reference,
            profile,
            seed,
            as_of,
        )
        self.code_regex = re.compile(spec.code_pattern)
        self.planted: list[Planted] = []
        self.pending_protected: list[tuple] = []
        self.protected: list[tuple] = []  # (kind, name, local geometry, lon/lat geometry)

    def rng(self, label: str):
        return stream(self.seed, self.spec.slug, label)

    def plant(self, rule: str, kind: str, objects: tuple, detail) -> None:
        self.planted.append(Planted(rule, kind, tuple(objects), detail))


def build(spec: CitySpec, reference, profile, seed: int, as_of: dt.date) -> Town:
    """Generate a municipality (no files written)."""
    town = Town(spec, reference, profile, seed, as_of)
    town.frame = LocalFrame(spec.lon, spec.lat)
    town.geo = geography.build(spec, town.rng("geography"), town.frame, as_of)
    town.zones = zones.build(town.geo, as_of)
    town.parcels, town.picked = parcels.build(town.geo, town.rng("parcels"))
    papers = town.rng("papers")
    for p in town.parcels:
        p.doc_factor = parcels.clean_doc_factor(papers)
    planting.plant_parcels(town)
    parcels.finalize(town.parcels, town.frame)
    town.protected = _protected_areas(town)
    town.lessees = Lessees(spec, town.rng("lessees"), profile.reuse)
    town.leasing = Leasing(spec, reference, profile, town.rng("contracts"), as_of, town.lessees)
    town.leasing.lease(town.parcels)
    builder = buildings.Builder(town.geo, town.rng("buildings"), town.leasing, as_of)
    town.buildings = builder.build(
        town.parcels, town.picked, round(profile.buildings * spec.target)
    )
    builder.lease()
    _finalize_buildings(town)
    planting_leases.plant_leases(town)
    for p in town.parcels:
        if any(c.status == "active" for c in p.contracts):
            p.status = "leased"
        elif p.status == "leased":
            p.status = "free"
    town.inspections = inspections.build(town)
    planting_leases.plant_status_left_leased(town)
    return town


def _protected_areas(town: Town) -> list[tuple]:
    """Parks, protected hills, river strips, and the red lines of the main streets
    next to municipal blocks."""
    geo, frame = town.geo, town.frame
    found = [("green_zone", name, Polygon(block.corners())) for name, block in geo.parks]
    found += [("green_zone", name, geom) for name, geom in geo.green]
    found += [("water_protection", name, geom) for name, geom in geo.water]
    lines: dict[tuple, None] = {}
    near: dict[int, list] = {}
    for block in town.picked:
        near.setdefault(block.district.index, []).append(Polygon(block.cell()))
        d = block.district
        for j in (block.j, block.j + 1):
            if d.main_v[j]:
                lines[(d.index, "h", j)] = None
        for i in (block.i, block.i + 1):
            if d.main_u[i]:
                lines[(d.index, "v", i)] = None
    districts = {d.index: d for d in geo.districts}
    # Red lines are drawn where the office has land: within 250 m of its blocks.
    reach = {k: shapely.union_all(v).buffer(250) for k, v in near.items()}
    for index, direction, line in lines:
        strip = geography.red_line(districts[index], direction == "h", line)
        if strip is not None:
            strip = strip.intersection(reach[index])
        if strip is not None and not strip.is_empty:
            name = geo.streets.name((direction, index, line), True)
            found.append(("red_line", f"Красная линия: {name}", strip))
    return [(kind, name, geom, multipolygon(frame.geometry(geom))) for kind, name, geom in found]


def _finalize_buildings(town: Town) -> None:
    import numpy as np

    if not town.buildings:
        return
    xy = np.array([b.corners for b in town.buildings], dtype=float)
    lon, lat = town.frame.lonlat(xy[:, :, 0], xy[:, :, 1])
    for b, lo, la in zip(town.buildings, lon.tolist(), lat.tolist(), strict=True):
        b.lonlat = tuple(zip(lo, la, strict=True))


def _date(day) -> str:
    return "" if day is None else day.isoformat()


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _area(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def rows(town: Town, gpkg: bool = False) -> dict:
    """The municipality's rows of every file, sorted by natural key."""
    spec, slug, as_of = town.spec, town.spec.slug, town.as_of
    out: dict = {}
    boundary = multipolygon(town.frame.geometry(town.geo.boundary))
    out["municipalities"] = [
        feature(
            GEOJSON["municipalities"],
            (slug, spec.name_ky, spec.name_ru, spec.name_en, spec.measure_srid, spec.code_pattern),
            multipolygon_json(boundary),
        )
    ]
    out["zones"] = [
        feature(
            GEOJSON["zones"],
            (
                slug,
                z.code,
                z.name,
                z.kz,
                z.valid_from.isoformat(),
                z.valid_to.isoformat() if z.valid_to else None,
            ),
            multipolygon_json(z.lonlat),
        )
        for z in sorted(town.zones, key=lambda z: (z.code, z.valid_from))
    ]
    out["base_rates"] = [
        (slug, category, f"{rate:.2f}", ZONES_FROM.isoformat())
        for category, rate in zones.base_rates(spec, town.ref.categories)
    ]
    out["protected_areas"] = [
        feature(GEOJSON["protected_areas"], (slug, kind, name), multipolygon_json(geom))
        for kind, name, _, geom in sorted(town.protected, key=lambda t: t[:2])
    ]
    plist = sorted(town.parcels, key=lambda p: p.code)
    if gpkg:
        out["parcels"] = _parcel_columns(slug, plist)
    else:
        out["parcels"] = [
            feature(
                GEOJSON["parcels"],
                (slug, p.code, p.address, p.category, p.use, p.status, p.documented),
                _parcel_geometry(p),
            )
            for p in plist
        ]
    blist = sorted(town.buildings, key=lambda b: b.number)
    if gpkg:
        out["buildings"] = _building_columns(slug, blist)
    else:
        out["buildings"] = [
            feature(
                GEOJSON["buildings"],
                (
                    slug,
                    b.number,
                    b.parcel.code if b.parcel else None,
                    b.kind,
                    b.name,
                    b.address,
                    b.floor_area,
                    b.floors,
                    b.year_built,
                ),
                polygon_json(b.lonlat),
            )
            for b in blist
        ]
    out["lessees"] = [
        (slug, x.key, x.kind, x.name, x.inn, x.phone, x.email, x.address, x.document)
        for x in town.lessees.all
    ]
    contracts = sorted(town.leasing.contracts, key=lambda c: c.number)
    out["contracts"] = [
        (
            slug,
            c.number,
            _date(c.signed_on),
            c.lessee,
            c.start.isoformat(),
            c.end.isoformat(),
            c.use,
            f"{c.rent}.00",
            c.period,
            _area(c.leased_area),
            c.basis,
            c.basis_ref,
            c.status,
            _date(c.terminated_on),
            c.previous,
            c.relation,
            ";".join(f"{kind}:{key}" for kind, key in c.objects),
        )
        for c in contracts
    ]
    rng, counter = town.rng("payments"), [town.rng("payment-orders").randrange(10**5, 10**6)]
    pay = []
    for c in contracts:
        money: dict[int, str] = {}  # a contract's payments mostly repeat one amount
        for paid_on, cents, reference in payments.rows(c, as_of, rng, counter):
            text = money.get(cents) or money.setdefault(cents, _money(cents))
            pay.append((slug, c.number, paid_on.isoformat(), text, reference))
    out["payments"] = pay
    out["inspections"] = sorted(
        (
            (
                slug,
                i.code_of.code,
                i.day.isoformat(),
                i.inspector,
                i.observed,
                "true" if i.occupied else "false",
                i.note,
                f"{i.lon:.7f}",
                f"{i.lat:.7f}",
            )
            for i in town.inspections
        ),
        key=lambda r: (r[1], r[2]),
    )
    out["planted"] = sorted((p.rule, slug, p.kind, p.key, p.detail()) for p in town.planted)
    return out


def _parcel_geometry(p) -> str | None:
    if p.geometry == "none":
        return None
    ring = list(p.lonlat)
    if p.geometry == "invalid":
        ring = [ring[0], ring[2], ring[1], ring[3]]  # corners out of order: a bow tie
    return polygon_json(ring)


def _wkb(rings: list) -> list:
    """WKB of quadrilaterals (lists of 4 corners), built in one vectorised call."""
    if not rings:
        return []
    import numpy as np

    coords = np.array([list(r) + [r[0]] for r in rings], dtype=float)
    return list(shapely.to_wkb(shapely.polygons(coords)))


def _parcel_columns(slug: str, plist: list) -> dict:
    drawn = [p for p in plist if p.geometry != "none"]
    rings = []
    for p in drawn:
        ring = list(p.lonlat)
        if p.geometry == "invalid":
            ring = [ring[0], ring[2], ring[1], ring[3]]
        rings.append(ring)
    by_parcel = dict(zip(map(id, drawn), _wkb(rings), strict=True))
    geoms = [by_parcel.get(id(p)) for p in plist]
    return {
        "municipality": [slug] * len(plist),
        "ident_code": [p.code for p in plist],
        "address": [p.address for p in plist],
        "land_category": [p.category for p in plist],
        "designated_use": [p.use for p in plist],
        "status": [p.status for p in plist],
        "documented_area": [p.documented for p in plist],
        "geometry": geoms,
    }


def _building_columns(slug: str, blist: list) -> dict:
    return {
        "municipality": [slug] * len(blist),
        "inventory_number": [b.number for b in blist],
        "parcel_ident_code": [b.parcel.code if b.parcel else "" for b in blist],
        "kind": [b.kind for b in blist],
        "name": [b.name for b in blist],
        "address": [b.address for b in blist],
        "floor_area": [b.floor_area for b in blist],
        "floors": [b.floors for b in blist],
        "year_built": [b.year_built for b in blist],
        "geometry": _wkb([b.lonlat for b in blist]),
    }
