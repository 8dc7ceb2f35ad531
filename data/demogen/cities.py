"""Which municipalities a run generates, and what each one looks like.

The demo has the three real cities at their real places (extents from the domain brief).
A larger `--parcels` grows them up to a cap and adds synthetic towns (`town-0001`, ...)
spread over Kyrgyzstan's longitudes 70-76 E, each measured in its own Kyrg-06 zone.
All coefficients and rates here are demo values.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from demogen import geodesy
from demogen.names import CITY_STREETS
from demogen.randomness import stream

DEMO_PARCELS = 3200
#: Parcels the three real cities take before synthetic towns are added.
REAL_CITIES_CAP = 16000
TOWN_SIZE = 10000
#: Parcel share of the real cities (Osh 1,800, Jalal-Abad 1,000, Nookat 400 in the demo).
REAL_SHARES = (("osh", 18), ("jalal-abad", 10), ("nookat", 4))

ZONES_FROM = dt.date(2020, 1, 1)
#: Osh city council amended the zone map when parts of Kara-Suu district were joined.
OSH_AMENDMENT = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class Ring:
    """An economic-planning zone: a ring up to `radius` metres from the centre
    (None: everything beyond the previous ring)."""

    code: str
    name: str
    kz: float
    radius: float | None


@dataclass(frozen=True)
class CitySpec:
    """Everything that distinguishes one municipality's demo data."""

    slug: str
    name_ky: str
    name_ru: str
    name_en: str
    lon: float
    lat: float
    half_w: float  # metres east-west of the boundary's core shape
    half_h: float  # metres north-south
    target: int  # parcels to generate
    code_prefix: str  # first groups of identification codes, e.g. "5-08"
    abbr: str  # short Cyrillic name used in contract and inventory numbers
    key_prefix: str  # ASCII prefix of lessee keys
    city_label: str  # "г. Ош", for lessees' addresses
    rings: tuple[Ring, ...]
    rates: dict[str, float]  # land category -> som per m² per year
    streets: tuple[str, ...]
    clip: tuple[float, float, float, float] | None = None  # lon/lat box to stay in
    grid_angle: float = 0.0  # degrees; each district turns a little from it
    region_spacing: float = 1500.0  # metres between district seeds
    parks: int = 4
    river: tuple[str, tuple[tuple[float, float], ...], float] | None = None
    mountain: tuple[str, float, float, float, float, float] | None = None
    layout: str = "rings"  # "rings", or "osh" with the 2025 amendment
    joined_y: float | None = None  # Osh: land north of this was joined in 2025

    @property
    def measure_srid(self) -> int:
        return geodesy.kyrg06_srid(self.lon)

    @property
    def code_pattern(self) -> str:
        # Older papers write 3-digit block and lot groups; both widths are valid.
        return "^" + self.code_prefix + r"-\d{2}-\d{3,4}-\d{3,4}$"


def _osh(target: int) -> CitySpec:
    return CitySpec(
        slug="osh",
        name_ky="Ош",
        name_ru="Ош",
        name_en="Osh",
        lon=72.800,
        lat=40.530,
        half_w=6600,
        half_h=5400,
        target=target,
        code_prefix="5-08",
        abbr="ОШ",
        key_prefix="OSH",
        city_label="г. Ош",
        rings=(
            Ring("ЭПЗ-1", "Зона I — исторический центр", 1.2, 1200),
            Ring("ЭПЗ-2", "Зона II — центральные кварталы", 1.0, 2600),
            Ring("ЭПЗ-3", "Зона III — срединная", 0.8, 3600),
        ),
        rates={
            "settlements": 48,
            "industry_transport": 40,
            "agricultural": 6,
            "protected_natural": 20,
            "forest": 4,
            "water": 8,
            "reserve": 10,
        },
        streets=CITY_STREETS["osh"],
        clip=(72.72, 40.48, 72.88, 40.58),
        grid_angle=6.0,
        region_spacing=1500.0,
        parks=12,
        layout="osh",
        joined_y=3900.0,
        # The Ak-Buura flows from the south-east through the centre to the north-west.
        river=(
            "р. Ак-Буура",
            (
                (2800, -5700),
                (1900, -3500),
                (1200, -1800),
                (500, -400),
                (200, 800),
                (-400, 2400),
                (-1200, 4000),
                (-1800, 5700),
            ),
            35.0,
        ),
        mountain=("Сулайман-Тоо", -1400.0, 100.0, 620.0, 260.0, 10.0),
    )


def _jalal_abad(target: int) -> CitySpec:
    return CitySpec(
        slug="jalal-abad",
        name_ky="Жалал-Абад",
        name_ru="Джалал-Абад",
        name_en="Jalal-Abad",
        lon=73.000,
        lat=40.933,
        half_w=4000,
        half_h=3000,
        target=target,
        code_prefix="4-03",
        abbr="ЖА",
        key_prefix="JA",
        city_label="г. Джалал-Абад",
        rings=(
            Ring("ЭПЗ-1", "Зона I — центр", 1.1, 1000),
            Ring("ЭПЗ-2", "Зона II", 0.9, 2000),
            Ring("ЭПЗ-3", "Зона III", 0.7, 3000),
            Ring("ЭПЗ-4", "Зона IV — окраины", 0.5, None),
        ),
        rates={
            "settlements": 42,
            "industry_transport": 34,
            "agricultural": 5,
            "protected_natural": 18,
            "forest": 4,
            "water": 7,
            "reserve": 9,
        },
        streets=CITY_STREETS["jalal-abad"],
        grid_angle=-4.0,
        region_spacing=1200.0,
        parks=8,
        river=(
            "р. Когарт",
            ((-4600, -2300), (-2000, -1900), (300, -2200), (2600, -1800), (4600, -2100)),
            30.0,
        ),
    )


def _nookat(target: int) -> CitySpec:
    return CitySpec(
        slug="nookat",
        name_ky="Ноокат",
        name_ru="Ноокат",
        name_en="Nookat",
        lon=72.620,
        lat=40.260,
        half_w=2000,
        half_h=1500,
        target=target,
        code_prefix="5-06",
        abbr="НК",
        key_prefix="NK",
        city_label="г. Ноокат",
        rings=(
            Ring("ЭПЗ-1", "Зона I — центр", 0.9, 600),
            Ring("ЭПЗ-2", "Зона II", 0.6, 1200),
            Ring("ЭПЗ-3", "Зона III — окраины", 0.4, None),
        ),
        rates={
            "settlements": 30,
            "industry_transport": 26,
            "agricultural": 4,
            "protected_natural": 15,
            "forest": 3,
            "water": 6,
            "reserve": 7,
        },
        streets=CITY_STREETS["nookat"],
        grid_angle=12.0,
        region_spacing=900.0,
        parks=5,
    )


def _town(index: int, target: int, seed: int) -> CitySpec:
    """A synthetic town on a lattice over lon 70.4-75.8 E, lat 40.3-42.8 N, sized so its
    street grid holds about three times the parcels it needs."""
    rng = stream(seed, f"town-{index:04d}", "spec")
    cols, rows = 22, 13
    slot = index - 1
    col, row = slot % cols, (slot // cols) % rows
    lap = slot // (cols * rows)  # very large runs put a second town near the first
    lon = 70.45 + col * 0.25 + rng.uniform(-0.06, 0.06) + lap * 0.11
    lat = 40.32 + row * 0.19 + rng.uniform(-0.05, 0.05) + lap * 0.07
    if any(
        abs(lon - c.lon) < 0.2 and abs(lat - c.lat) < 0.15
        for c in (_osh(1), _jalal_abad(1), _nookat(1))
    ):
        lat += 0.16  # keep clear of the real cities
    # About 1,500 m² of city per lot, a third of the lots municipal.
    area = max(target, 200) * 4800.0
    half_h = math.sqrt(area / 3.7 / 1.3)
    half_w = half_h * 1.3
    s = rng.uniform(0.85, 1.15)
    return CitySpec(
        slug=f"town-{index:04d}",
        name_ky=f"№{index} шаарча",
        name_ru=f"Посёлок №{index}",
        name_en=f"Town {index:04d}",
        lon=round(lon, 4),
        lat=round(lat, 4),
        half_w=half_w,
        half_h=half_h,
        target=target,
        code_prefix=f"{1 + (index // 90) % 9}-{10 + index % 90:02d}",
        abbr=f"Т{index:04d}",
        key_prefix=f"T{index:04d}",
        city_label=f"пос. №{index}",
        rings=(
            Ring("ЭПЗ-1", "Зона I — центр", 0.8, 0.3 * half_h),
            Ring("ЭПЗ-2", "Зона II", 0.55, 0.65 * half_h),
            Ring("ЭПЗ-3", "Зона III — окраины", 0.35, None),
        ),
        rates={
            "settlements": round(30 * s),
            "industry_transport": round(26 * s),
            "agricultural": round(5 * s),
            "protected_natural": round(15 * s),
            "forest": 3,
            "water": 6,
            "reserve": round(8 * s),
        },
        streets=(),
        grid_angle=rng.uniform(-20, 20),
        region_spacing=max(1200.0, math.sqrt(4 * half_w * half_h / 80)),
        parks=4,
    )


def plan(parcels: int | None, seed: int) -> list[CitySpec]:
    """The municipalities of a run with their parcel targets, sorted by slug.

    The real cities share up to 16,000 parcels 18:10:4; the rest goes to synthetic
    towns of about 10,000 parcels each.
    """
    total = DEMO_PARCELS if parcels is None else parcels
    if total < 60:
        raise ValueError("--parcels must be at least 60")
    real = min(total, REAL_CITIES_CAP)
    weight = sum(w for _, w in REAL_SHARES)
    osh = round(real * 18 / weight)
    jalal = round(real * 10 / weight)
    specs = [_osh(osh), _jalal_abad(jalal), _nookat(real - osh - jalal)]
    rest = total - real
    towns = math.ceil(rest / TOWN_SIZE) if rest else 0
    for i in range(towns):
        size = rest // towns + (1 if i < rest % towns else 0)
        specs.append(_town(i + 1, size, seed))
    return sorted(specs, key=lambda s: s.slug)
