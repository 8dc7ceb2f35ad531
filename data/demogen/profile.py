"""How much of everything: the demo's proportions, and those of a benchmark run.

The demo reads like a real office's register (about half the parcels leased, several
years of monthly payments). Above 50,000 parcels the benchmark profile is used: per
1,000,000 parcels about 1,000,000 contracts, 5,000,000 payments (most lessees pay a
year or a quarter ahead) and 300,000 inspections.
"""

from __future__ import annotations

from dataclasses import dataclass

SCALE_FROM = 50_000


@dataclass(frozen=True)
class Profile:
    """Shares and rates that shape one run (all plain probabilities or weights)."""

    name: str
    current: float  # share of leasable parcels under an active contract
    past: float  # leased before, free now
    draft: float  # a contract being prepared (parcel reserved)
    predecessor: float  # share of current contracts with an earlier one on the parcel
    reuse: float  # chance that a contract goes to an existing lessee
    payment_plans: dict[str, float]  # how lessees pay: "monthly", "quarterly", "yearly"
    inspect_leased: dict[int, float]  # number of inspections of a leased parcel
    inspect_other: dict[int, float]
    buildings: float  # buildings (not premises) per parcel
    start_weights: dict[int, float]  # start year of current contracts


DEMO = Profile(
    name="demo",
    current=0.40,
    past=0.10,
    draft=0.02,
    predecessor=0.24,
    reuse=0.42,
    payment_plans={"monthly": 1.0},
    inspect_leased={0: 30, 1: 42, 2: 22, 3: 6},
    inspect_other={0: 62, 1: 32, 2: 6},
    buildings=0.12,
    start_weights={
        2017: 1,
        2018: 2,
        2019: 4,
        2020: 7,
        2021: 9,
        2022: 11,
        2023: 13,
        2024: 15,
        2025: 16,
        2026: 10,
    },
)

SCALE = Profile(
    name="scale",
    current=0.60,
    past=0.13,
    draft=0.01,
    predecessor=0.45,
    reuse=0.55,
    payment_plans={"yearly": 0.95, "quarterly": 0.03, "monthly": 0.02},
    inspect_leased={0: 72, 1: 24, 2: 4},
    inspect_other={0: 84, 1: 14, 2: 2},
    buildings=0.05,
    start_weights={
        2017: 2,
        2018: 3,
        2019: 5,
        2020: 8,
        2021: 10,
        2022: 11,
        2023: 13,
        2024: 14,
        2025: 14,
        2026: 9,
    },
)


def for_run(parcels: int | None) -> Profile:
    return SCALE if parcels is not None and parcels > SCALE_FROM else DEMO
