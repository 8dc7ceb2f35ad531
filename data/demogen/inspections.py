"""Inspections: what inspectors saw on parcels, and where they stood.

A clean inspection agrees with the register: a parcel under a contract that day is seen
occupied with a use allowed both on its designated use and on the contracted use; a
parcel used by a municipal institution is seen in that use; any other parcel is seen
vacant. Planted cases add a final inspection (`Parcel.final_inspection`) that every
other inspection of the parcel precedes. Parcels without a valid drawing, and those
whose buildings are partly let out, are not inspected.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from demogen.names import INSPECTORS
from demogen.randomness import pick

DAY = dt.timedelta(days=1)
INITIALS = "АБГДЖЗИКМНОРСТУЧЭ"
FIRST = dt.date(2019, 9, 2)
#: The 2020 land-use inventory (the civic project with the mayors' offices).
CAMPAIGN = (dt.date(2020, 3, 2), dt.date(2020, 11, 27))

NOTES = {
    "greening": "Озеленённая территория, уход ведётся",
    "recreation": "Зона отдыха, благоустроена",
    "sport": "Спортивная площадка",
    "social": "Используется муниципальным учреждением",
    "housing_individual": "Жилой дом, участок огорожен",
    "housing_multi": "Многоквартирный жилой дом",
    "agriculture": "Огород, сад",
    "trade": "Торговый павильон",
    "catering": "Кафе",
    "car_wash": "Автомойка",
    "parking": "Автостоянка",
    "advertising": "Рекламная конструкция",
    "industry": "Склад, производственные помещения",
}
VACANT = (
    "Участок свободен, признаков использования нет",
    "Пустырь, не огорожен",
    "Не используется",
    "Свободен, требуется уборка мусора",
)


@dataclass(slots=True)
class Inspection:
    code_of: object  # the parcel (its code is read when written)
    day: dt.date
    inspector: str
    observed: str
    occupied: bool
    note: str
    lon: float
    lat: float


#: Public holidays (month, day) on which nobody inspects: New Year, 8 March, Nooruz,
#: Labour Day, Victory Day, Independence Day.
HOLIDAYS = {(1, 1), (3, 8), (3, 21), (5, 1), (5, 9), (8, 31)}


def is_workday(day: dt.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def workday(day: dt.date) -> dt.date:
    """The day itself if inspectors work then, else the working day before it."""
    while not is_workday(day):
        day -= DAY
    return day


def _days(rng: random.Random, count: int, until: dt.date) -> list[dt.date]:
    """Distinct working days up to `until`, a third of them in the 2020 campaign."""
    days: dict[dt.date, None] = {}
    for _ in range(count * 6):
        if len(days) >= count or until <= FIRST:
            break
        lo, hi = CAMPAIGN if rng.random() < 0.33 and CAMPAIGN[1] < until else (FIRST, until)
        day = lo + rng.randrange((hi - lo).days + 1) * DAY
        if is_workday(day) and day <= until:
            days[day] = None
    return sorted(days)


def _position(rng: random.Random, lonlat: tuple) -> tuple[float, float]:
    """A rounded point well inside a convex quadrilateral (bilinear, 25-75 %)."""
    s, t = rng.uniform(0.25, 0.75), rng.uniform(0.25, 0.75)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = lonlat
    lon = (1 - s) * (1 - t) * x0 + s * (1 - t) * x1 + s * t * x2 + (1 - s) * t * x3
    lat = (1 - s) * (1 - t) * y0 + s * (1 - t) * y1 + s * t * y2 + (1 - s) * t * y3
    return round(lon, 7), round(lat, 7)


def observe(parcel, day: dt.date, as_of: dt.date, reference, rng: random.Random):
    """(occupied, observed use) that a clean inspection on `day` records."""
    if parcel.status == "municipal_use":
        return True, parcel.use
    covering = [
        c
        for c in parcel.contracts
        if c.status != "draft"
        and c.start <= day <= (as_of if c.status == "active" else c.effective_end)
    ]
    if not covering:
        return False, ""
    allowed = [
        u
        for u in reference.allowed[parcel.use]
        if all(reference.is_allowed(c.use, u) for c in covering)
    ]
    use = covering[0].use
    if use in allowed and rng.random() < 0.85:
        return True, use
    return True, rng.choice(allowed)


def build(town) -> list[Inspection]:
    """All inspections of the municipality, parcel by parcel."""
    rng, as_of, prof = town.rng("inspections"), town.as_of, town.profile
    inspectors = [
        f"{surname} {rng.choice(INITIALS)}. {rng.choice(INITIALS)}."
        for surname in rng.sample(INSPECTORS, rng.randrange(4, 7))
    ]
    out: list[Inspection] = []
    for p in town.parcels:
        if not p.inspect or p.geometry != "valid":
            continue
        if any(b.contracts or any(q.contracts for q in b.premises) for b in p.buildings):
            continue
        final = p.final_inspection
        weights = prof.inspect_leased if p.status == "leased" else prof.inspect_other
        count = pick(rng, weights)
        until = (final[0] - DAY) if final else as_of - 2 * DAY
        for day in _days(rng, count, until):
            occupied, use = observe(p, day, as_of, town.ref, rng)
            note = NOTES[use] if occupied else rng.choice(VACANT)
            out.append(
                Inspection(
                    p, day, rng.choice(inspectors), use, occupied, note, *_position(rng, p.lonlat)
                )
            )
        if final:
            day, occupied, use, note = final
            out.append(
                Inspection(
                    p, day, rng.choice(inspectors), use, occupied, note, *_position(rng, p.lonlat)
                )
            )
    return out
