"""Municipal buildings and the premises inside them, and the leases of premises.

Schools, kindergartens and clinics stand on the parcels of the institutions that use
them; other municipal buildings stand on land that is not in the parcel register (their
parcel code is empty). Larger buildings are partly let out as premises (a shop on the
ground floor, a canteen), which is why such institutions' parcels are not inspected as
if the institution were the only user.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from demogen.contracts import DAY, Leasing, term_end
from demogen.geography import Geography
from demogen.randomness import pick, weighted_order

INSTITUTIONS = (
    "Средняя школа №{n}",
    "Детский сад №{n}",
    "Поликлиника №{n}",
    "Гимназия №{n}",
    "Библиотека №{n}",
    "Дом культуры",
    "Музыкальная школа №{n}",
    "Центр семейной медицины №{n}",
)
ANNEXES = ("Спортзал", "Хозблок", "Котельная", "Мастерские", "Столовая")
OTHERS = (
    "Нежилое здание",
    "Административное здание",
    "Торговый павильон",
    "Здание бывшего кинотеатра",
    "Баня",
    "Гараж",
    "Склад",
    "Здание бывшего Дома быта",
    "Здание бывшей конторы",
    "Рынок (крытый павильон)",
)
PREMISE_USES = {"trade": 45, "catering": 25, "social": 15, "advertising": 5, "industry": 10}


@dataclass(slots=True, eq=False)
class Building:
    number: str  # inventory number
    parcel: object  # Parcel or None
    kind: str  # "building" or "premise"
    name: str
    address: str
    floor_area: float
    floors: int
    year_built: int
    corners: tuple  # local x/y footprint
    parent: Building | None = None
    lonlat: tuple | None = None
    contracts: list = field(default_factory=list)
    premises: list = field(default_factory=list)


def _footprint(district, u0, v0, u1, v1, rng: random.Random, share=(0.45, 0.75)):
    """A rectangle inside the given grid rectangle, away from its edges."""
    w, h = u1 - u0, v1 - v0
    fw, fh = w * rng.uniform(*share), h * rng.uniform(*share)
    a = u0 + rng.uniform(0.1, 0.9) * (w - fw)
    b = v0 + rng.uniform(0.1, 0.9) * (h - fh)
    return district.rect(a, b, a + fw, b + fh), (a, b, a + fw, b + fh)


class Builder:
    """Creates the buildings of one municipality and the leases of some of them."""

    def __init__(self, geo: Geography, rng: random.Random, leasing: Leasing, as_of: dt.date):
        self.geo, self.rng, self.leasing, self.as_of = geo, rng, leasing, as_of
        self.all: list[Building] = []
        self._counts: dict[str, int] = {}

    def _named(self, template: str) -> str:
        self._counts[template] = self._counts.get(template, 0) + 1
        return template.format(n=self._counts[template] * 3 - self.rng.randrange(3))

    def _add(self, parcel, name, address, corners, rect_area, floors) -> Building:
        rng = self.rng
        building = Building(
            number=f"{self.geo.spec.abbr}-Б-{self._main + 1:05d}",
            parcel=parcel,
            kind="building",
            name=name,
            address=address,
            floor_area=round(rect_area * floors * rng.uniform(0.78, 0.9), 1),
            floors=floors,
            year_built=rng.randrange(1952, 2016),
            corners=corners,
        )
        self._main += 1
        self.all.append(building)
        if parcel is not None:
            parcel.buildings.append(building)
        return building

    def build(self, parcels: list, picked: list, target: int) -> list[Building]:
        """Buildings on institutions' parcels, then elsewhere until about `target`
        buildings, then premises in some of the larger ones."""
        rng, geo = self.rng, self.geo
        self._main = 0
        for p in parcels:
            if p.status != "municipal_use" or p.geometry != "valid" or p.rect is None:
                continue
            d = p.block.district
            u0, v0, u1, v1 = p.rect
            parts = [(u0, v0, u1, v1)]
            if (u1 - u0) * (v1 - v0) > 1500 and rng.random() < 0.4:
                mid = (u0 + u1) / 2
                parts = [(u0, v0, mid - 1, v1), (mid + 1, v0, u1, v1)]
            for k, part in enumerate(parts):
                corners, (a, b, c, e) = _footprint(d, *part, rng)
                name = self._named(rng.choice(INSTITUTIONS)) if k == 0 else rng.choice(ANNEXES)
                self._add(
                    p,
                    name,
                    p.address,
                    corners,
                    (c - a) * (e - b),
                    rng.choice((1, 2, 2, 3, 3, 4)) if k == 0 else 1,
                )
        taken = {id(b) for b in picked}
        spare = [b for b in geo.blocks if b.kind == "lots" and id(b) not in taken]
        scale = 0.5 * math.sqrt(geo.spec.half_w * geo.spec.half_h)
        order = weighted_order(rng, [math.exp(-b.r / scale) for b in spare])
        for block in (spare[k] for k in order[: max(0, target - self._main)]):
            corners, (a, b, c, e) = _footprint(
                block.district, block.u0, block.v0, block.u1, block.v1, rng, share=(0.15, 0.3)
            )
            d = block.district
            street = geo.streets.name(("h", d.index, block.j), d.main_v[block.j])
            house = 2 * int((a - d.us[0]) // 10) + 1
            self._add(
                None,
                rng.choice(OTHERS),
                f"{street}, {house}",
                corners,
                (c - a) * (e - b),
                rng.choice((1, 1, 2, 2, 3, 5)),
            )
        for building in list(self.all):
            if building.floor_area >= 250 and rng.random() < 0.45:
                self._premises(building)
        return self.all

    def _premises(self, parent: Building) -> None:
        rng = self.rng
        count = rng.randrange(2, 5)
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = parent.corners
        for k in range(count):
            t0, t1 = k / count, (k + 1) / count

            def at(t, s):  # bilinear position in the parent's footprint
                return (x0 + (x1 - x0) * t + (x3 - x0) * s, y0 + (y1 - y0) * t + (y3 - y0) * s)

            floor = rng.randrange(1, parent.floors + 1)
            premise = Building(
                number=f"{parent.number}-П{k + 1:02d}",
                parcel=parent.parcel,
                kind="premise",
                name=f"Нежилое помещение №{k + 1}, {floor} этаж ({parent.name})",
                address=parent.address,
                floor_area=round(rng.uniform(18, 160), 1),
                floors=1,
                year_built=parent.year_built,
                corners=(at(t0, 0), at(t1, 0), at(t1, 1), at(t0, 1)),
                parent=parent,
            )
            parent.premises.append(premise)
            self.all.append(premise)

    def lease(self) -> None:
        """Let out some premises and some whole buildings that no institution uses."""
        rng, leasing, as_of = self.rng, self.leasing, self.as_of
        for building in self.all:
            if building.kind == "premise":
                share = 0.55
            elif building.parcel is None and not building.premises:
                share = 0.3
            else:
                continue
            if rng.random() >= share:
                continue
            use = pick(rng, PREMISE_USES)
            rate = rng.uniform(600, 1500)  # som per m² of floor a year (demo values)
            period = "month" if rng.random() < 0.7 else "year"
            rent = round(building.floor_area * rate / (12 if period == "month" else 1))
            if rng.random() < 0.78:
                start, end = leasing.current_dates()
                status = "active"
            else:
                end = as_of - rng.randrange(20, 900) * DAY
                start = end + DAY - rng.choice((1, 2, 3)) * 365 * DAY
                end = term_end(start, round((end - start).days / 365))
                status = "expired" if end < as_of else "active"
                if status == "active":
                    continue  # rounding moved it past as_of; skip rather than risk a warning
            contract = leasing.new(
                start=start,
                end=end,
                use=use,
                status=status,
                building=building,
                area=building.floor_area,
                rent=max(rent, 1),
                period=period,
            )
            building.contracts.append(contract)
