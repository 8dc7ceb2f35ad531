"""Planted anomalies of leases: contract dates, arrears, rents, double leases, lost
objects, and what the latest inspection of a parcel saw.

The second planting phase (see demogen.planting), run once the contracts exist. Every
case is planted on a contract or parcel that no other case touched, and keeps clear of
the other rules: a contract ending soon is fully paid, one in arrears is not ending soon,
a rent below the norm is paid in full, an inspection that sees misuse is the parcel's
latest and falls inside the contract's term.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from shapely.geometry import Polygon

from demogen import geodesy, payments
from demogen.contracts import DAY, FIRST_DAY, SAFE_END, add_years, term_end
from demogen.inspections import workday
from demogen.planting import quota, tag, take
from demogen.randomness import pick

#: What headline misuse looks like: land leased for greening used for business.
GREENING_MISUSE = {"catering": 34, "trade": 28, "parking": 22, "car_wash": 16}
OTHER_MISUSE = ("catering", "trade", "car_wash", "parking", "industry")
USE_WORDS = {
    "catering": "a café",
    "trade": "a shop or kiosk",
    "car_wash": "a car wash",
    "parking": "a car park",
    "industry": "a workshop or warehouse",
    "greening": "greening",
    "recreation": "recreation",
    "sport": "sport",
    "housing_individual": "a private house",
    "housing_multi": "apartment housing",
    "agriculture": "a garden",
    "advertising": "an advertising structure",
    "social": "a public institution",
}


def plant_leases(town) -> None:
    """Contract, payment and inspection cases; runs after parcels are leased."""
    rng = town.rng("planting-leases")
    _record_protected(town)
    _dates(town, rng)
    _arrears(town, rng)
    _rents(town, rng)
    _double_leases(town, rng)
    _no_objects(town, rng)
    _inspections(town, rng)


def _record_protected(town) -> None:
    by_name = {(kind, name): geom for kind, name, _, geom in town.protected}
    for p, kind, name in town.pending_protected:
        contract = next(c for c in p.contracts if c.status == "active")
        polygon = Polygon(p.lonlat)
        if kind == "red_line":
            found = [
                (n, g) for (k, n), g in by_name.items() if k == "red_line" and g.intersects(polygon)
            ]
            name, area = max(
                ((n, geodesy.geometry_area(g.intersection(polygon))) for n, g in found),
                key=lambda t: t[1],
            )
        else:
            area = geodesy.geometry_area(by_name[(kind, name)].intersection(polygon))
        label = {
            "green_zone": "green zone",
            "water_protection": "water protection strip",
            "red_line": "red line",
        }[kind]
        tag("protected_layer_lease", contract)
        town.plant(
            "protected_layer_lease",
            "contract",
            (contract,),
            lambda c=contract, p=p, label=label, name=name, area=area: (
                f"{c.use} lease of {p.code} overlaps the {label} '{name}' by {area:.0f} m²"
            ),
        )


def _active(town, solo: bool = True) -> list:
    """Clean active contracts on one parcel with no other contract on it."""
    return [
        c
        for c in town.leasing.contracts
        if c.status == "active"
        and c.clean
        and c.parcels
        and not c.previous
        and (not solo or (len(c.parcels) == 1 and len(c.parcels[0].contracts) == 1))
    ]


def _redate(town, rng, contract, end: dt.date) -> bool:
    """Move a contract to a whole-year term ending on `end`; False if none fits."""
    fits = [
        t for t in (1, 2, 3, 5) if FIRST_DAY <= add_years(end + DAY, -t) <= town.as_of - 30 * DAY
    ]
    if not fits:
        return False
    leasing = town.leasing
    contract.start = add_years(end + DAY, -rng.choice(fits))
    contract.end = end
    contract.signed_on = contract.start - rng.randrange(0, 20) * DAY
    contract.basis, contract.basis_ref = leasing.basis(contract.signed_on)
    contract.number = leasing.number(contract.signed_on.year)
    return True


def _dates(town, rng: random.Random) -> None:
    as_of = town.as_of
    active = _active(town)
    for c in take(rng, active, quota(0.025, len(active))):
        if c.planted or not _redate(town, rng, c, as_of + rng.randrange(10, 81) * DAY):
            continue
        tag("contract_ending_soon", c)
        town.plant(
            "contract_ending_soon",
            "contract",
            (c,),
            lambda c=c: f"ends on {c.end} ({(c.end - as_of).days} days after {as_of}); no renewal",
        )
    active = _active(town)
    for c in take(rng, active, quota(0.01, len(active))):
        if c.planted or not _redate(town, rng, c, as_of - rng.randrange(15, 330) * DAY):
            continue
        p = c.parcels[0]
        day = c.end + rng.randrange(5, max(6, (as_of - c.end).days - 2)) * DAY
        p.final_inspection = (
            workday(min(day, as_of - DAY)),
            True,
            c.use,
            "Арендатор продолжает пользоваться участком",
        )
        tag("contract_expired_active", c)
        town.plant(
            "contract_expired_active",
            "contract",
            (c,),
            lambda c=c: (
                f"still 'active' but ended on {c.end}, {(as_of - c.end).days} days before {as_of}"
            ),
        )
    expired = [
        c
        for c in town.leasing.contracts
        if c.status == "expired"
        and c.clean
        and len(c.parcels) == 1
        and c.parcels[0].contracts == [c]
        and c.end <= as_of - 60 * DAY
        and c.parcels[0].inspect
        and c.parcels[0].geometry == "valid"
    ]
    for c in take(rng, expired, quota(0.05, len(expired))):
        p = c.parcels[0]
        day = workday(c.end + rng.randrange(20, (as_of - c.end).days - 3) * DAY)
        p.final_inspection = (day, True, c.use, "Бывший арендатор продолжает пользоваться участком")
        tag("contract_expired_active", c, p)
        town.plant(
            "contract_expired_active",
            "contract",
            (c,),
            lambda c=c, day=day: (
                f"expired on {c.end}, yet the inspection of {day} found the parcel occupied "
                f"({c.use}) and no later contract"
            ),
        )


def _arrears(town, rng: random.Random) -> None:
    as_of = town.as_of
    window = as_of - 61 * DAY  # instalments safely more than 30 days overdue
    candidates = [
        c
        for c in town.leasing.contracts
        if c.clean and c.status in ("active", "expired") and (c.parcels or c.building is not None)
    ]
    active = [c for c in candidates if c.status == "active"]
    expired = [c for c in candidates if c.status == "expired"]
    chosen = take(rng, active, quota(0.03, len(active))) + take(
        rng, expired, quota(0.025, len(expired))
    )
    for c in chosen:
        cents = payments.instalment_cents(c)
        partial = rng.random() < 0.3
        share = 0.4 if partial else 0.0
        missing = max(2, math.ceil(150_000 / (cents * (1 - share))))
        dues = [d for d in payments.due_dates(c) if d <= window]
        if len(dues) < missing + 1 or missing > 30:
            continue
        c.unpaid_from, c.paid_share, c.plan = dues[-missing], share, "monthly"
        owed = payments.shortfall(c, as_of)
        tag("arrears", c)
        town.plant(
            "arrears",
            "contract",
            (c,),
            lambda c=c, owed=owed, partial=partial: (
                f"{owed / 100:,.2f} som behind: "
                + ("pays 40 % of each instalment" if partial else "no payment")
                + f" since the instalment due {c.unpaid_from}"
            ).replace(",", " "),
        )


def _rents(town, rng: random.Random) -> None:
    leasing = town.leasing
    active = _active(town, solo=False)
    count = quota(0.02, len(active))
    # In Osh the 2025 map raised Kz north-east (zone VI): a rent that was fine against
    # the old zone V is now below the norm; only the zone valid at as_of shows it.
    raised = [c for c in active if c.parcels[0].zone == "ЭПЗ-6"]
    chosen = take(rng, raised, max(1, count // 3) if raised else 0)
    chosen += take(rng, [c for c in active if c not in chosen], count - len(chosen))
    for c in chosen:
        norm = leasing.norm(c.parcels, c.use, c.leased_area)
        narrow = c.parcels[0].zone == "ЭПЗ-6"
        c.rent = leasing.rent(
            norm, rng.uniform(0.72, 0.77) if narrow else rng.uniform(0.35, 0.72), c.period
        )
        while c.annual_rent >= 0.78 * norm and c.rent > 1:
            c.rent -= 1
        if c.annual_rent >= 0.78 * norm:
            continue
        p = c.parcels[0]
        tag("rent_below_norm", c)
        town.plant(
            "rent_below_norm",
            "contract",
            (c,),
            lambda c=c, norm=norm, p=p: (
                f"annual rent {c.annual_rent} som is {c.annual_rent / norm * 100:.0f} % of the "
                f"norm {norm:.0f} som ({c.leased_area:g} m² x {town.geo.spec.rates[p.category]:g}"
                f" x Kz {p.kz:g} ({p.zone}) x Kf {town.ref.kf[c.use]:g})"
            ),
        )


def _double_leases(town, rng: random.Random) -> None:
    leasing, as_of = town.leasing, town.as_of
    active = [c for c in _active(town) if c.start <= as_of - 120 * DAY]
    for first in take(rng, active, quota(0.005, len(active))):
        start = first.start + rng.randrange(30, (as_of - first.start).days - 60) * DAY
        end = term_end(start, leasing.term_until(start, as_of + SAFE_END))
        p = first.parcels[0]
        second = leasing.new(
            start=start,
            end=end,
            use=first.use,
            status="active",
            parcels=[p],
            lessee=leasing.lessee_for(first.use, first.lessee),
            basis=("decision", leasing.decision(start)),
        )
        tag("double_lease", first, second)
        town.plant(
            "double_lease",
            "contract_pair",
            (first, second),
            lambda a=first, b=second, p=p: (
                f"{p.code} is leased twice: {a.number} ({a.start}..{a.end}) and "
                f"{b.number} ({b.start}..{b.end}) to different lessees"
            ),
        )
    premises = [
        c
        for c in leasing.contracts
        if c.status == "active"
        and c.clean
        and c.building is not None
        and c.building.kind == "premise"
        and c.start <= as_of - 120 * DAY
        and len(c.building.contracts) == 1
    ]
    for first in take(rng, premises, 1 if len(premises) >= 30 else 0):
        b = first.building
        start = first.start + rng.randrange(30, (as_of - first.start).days - 60) * DAY
        end = term_end(start, leasing.term_until(start, as_of + SAFE_END))
        second = leasing.new(
            start=start,
            end=end,
            use=first.use,
            status="active",
            building=b,
            area=first.leased_area,
            rent=first.rent,
            period=first.period,
            lessee=leasing.lessee_for(first.use, first.lessee),
        )
        b.contracts.append(second)
        tag("double_lease", first, second)
        town.plant(
            "double_lease",
            "contract_pair",
            (first, second),
            lambda a=first, b2=second, b=b: (
                f"premise {b.number} is leased twice: {a.number} and {b2.number}"
            ),
        )


def _no_objects(town, rng: random.Random) -> None:
    leasing = town.leasing
    for _ in range(quota(0.004, len(leasing.contracts))):
        start, end = leasing.current_dates()
        use = rng.choice(("trade", "catering", "parking", "advertising"))
        area = float(rng.randrange(12, 300))
        contract = leasing.new(
            start=start,
            end=end,
            use=use,
            status="active",
            area=area,
            rent=max(100, round(area * rng.uniform(25, 90))),
            period="year",
        )
        contract.no_objects = True
        tag("dq_contract_no_object", contract)
        town.plant(
            "dq_contract_no_object",
            "contract",
            (contract,),
            lambda c=contract: f"{c.use} lease of {c.leased_area:g} m² names no parcel or building",
        )


def _inspections(town, rng: random.Random) -> None:
    """Misuse (greening used for business first of all) and occupation without any
    contract, each seen by the latest inspection of the parcel."""
    as_of, ref = town.as_of, town.ref
    # Leased for two months at least, so that the inspection falls inside the term.
    leased = [
        p
        for p in town.parcels
        if p.clean
        and p.status == "leased"
        and p.inspect
        and p.geometry == "valid"
        and all(c.clean for c in p.contracts)
        and all(c.start <= as_of - 60 * DAY for c in p.contracts)
    ]
    count = quota(0.045, len(leased))
    greening = [p for p in leased if p.use == "greening"]
    chosen = take(rng, greening, round(count * 0.65))
    chosen += take(rng, [p for p in leased if p.use != "greening"], count - len(chosen))
    for p in chosen:
        contract = next(c for c in p.contracts if c.status == "active")
        if p.use == "greening":
            seen = pick(rng, GREENING_MISUSE)
        else:
            options = [
                u
                for u in OTHER_MISUSE
                if not ref.is_allowed(p.use, u) or not ref.is_allowed(contract.use, u)
            ]
            if not options:
                continue
            seen = rng.choice(options)
        first = max(contract.start + 30 * DAY, as_of - 330 * DAY)
        day = workday(first + rng.randrange(max(1, (as_of - 3 * DAY - first).days)) * DAY)
        p.final_inspection = (day, True, seen, _misuse_note(p.use, seen))
        tag("misuse", p)
        town.plant(
            "misuse",
            "parcel",
            (p,),
            lambda p=p, seen=seen, day=day, c=contract: (
                f"{p.use} parcel observed as {seen} on {day} (contract {c.number} for {c.use})"
            ),
        )
    never = [
        p
        for p in town.parcels
        if p.clean
        and not p.contracts
        and p.status in ("free", "reserved", "disputed")
        and p.inspect
        and p.geometry == "valid"
        and not p.plan
    ]
    for p in take(rng, never, quota(0.012, len(never))):
        allowed = ref.allowed[p.use]
        seen = p.use if p.use in allowed else allowed[0]
        day = workday(as_of - rng.randrange(4, 400) * DAY)
        p.final_inspection = (
            day,
            True,
            seen,
            f"Участок занят ({USE_WORDS[seen]}), договор не предъявлен",
        )
        tag("occupied_without_contract", p)
        town.plant(
            "occupied_without_contract",
            "parcel",
            (p,),
            lambda p=p, day=day, s=seen: (
                f"occupied ({s}) at the inspection of {day}; no contract on it ever started"
            ),
        )
    # A free greening plot with a car wash and no contract: misuse and occupation.
    never = [p for p in never if p.clean and p.use == "greening"]
    for p in take(rng, never, 1 if len(never) >= 20 else 0):
        day = workday(as_of - rng.randrange(4, 200) * DAY)
        seen = rng.choice(("car_wash", "catering", "parking"))
        p.final_inspection = (day, True, seen, _misuse_note("greening", seen))
        tag("misuse", p)
        town.plant(
            "misuse",
            "parcel",
            (p,),
            lambda p=p, day=day, s=seen: (
                f"free greening parcel observed as {s} on {day}, no contract"
            ),
        )
        town.plant(
            "occupied_without_contract",
            "parcel",
            (p,),
            lambda p=p, day=day: (
                f"occupied at the inspection of {day}; no contract on it ever started"
            ),
        )


def _misuse_note(designated: str, seen: str) -> str:
    place = {
        "greening": "Участок под озеленение",
        "recreation": "Зона отдыха",
        "sport": "Спортивная площадка",
    }.get(designated, "Участок")
    what = {
        "catering": "работает летнее кафе",
        "trade": "установлен торговый киоск",
        "car_wash": "работает автомойка",
        "parking": "устроена платная автостоянка",
        "industry": "устроен склад",
    }[seen]
    return f"{place}: {what}"


def plant_status_left_leased(town) -> None:
    """Parcels the register still marks leased after their last contract ended: nobody
    changed the status when the lease expired or was terminated. Runs last, once every
    other status and the inspections are settled, on clean parcels whose contracts are
    all clean and ended (their status would be free), so no other rule is touched."""
    rng = town.rng("planting-status")
    ended = [
        p
        for p in town.parcels
        if p.clean
        and p.status == "free"
        and p.contracts
        and all(c.clean and c.status in ("expired", "terminated") for c in p.contracts)
    ]
    for p in take(rng, ended, quota(0.02, len(ended))):
        p.status = "leased"
        tag("dq_status_contract_mismatch", p)
        last = max(p.contracts, key=lambda c: c.effective_end)
        town.plant(
            "dq_status_contract_mismatch",
            "parcel",
            (p,),
            lambda c=last: (
                f"still marked leased, but its last contract {c.number} {c.status} "
                f"on {c.effective_end.isoformat()}"
            ),
        )
