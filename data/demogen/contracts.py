"""Lease contracts: every parcel's lease history from 2017 on, with statuses that follow
from the dates and rents that follow from the norm.

A leased parcel has one active contract (start <= as_of <= end, ending more than 120 days
after as_of, so that no clean contract is "ending soon"); about a quarter of those had an
earlier contract: a renewal or an amendment (the old one `superseded`, its term closed
the day before the new one starts) or another lessee's expired lease. A parcel leased
before and free now has an expired or terminated contract and no later one. Clean rents
are 95-150 % of the normative rent at as_of: leased area x base rate x Kz x Kf.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from demogen.randomness import choose, pick

DAY = dt.timedelta(days=1)
FIRST_DAY = dt.date(2017, 1, 9)
#: E-auctions for the right to lease under Government resolution №142 of 29.03.2019.
AUCTIONS_FROM = dt.date(2019, 5, 1)
TERMS = {1: 10, 2: 12, 3: 25, 5: 30, 7: 8, 10: 15}
#: Margin after as_of that clean active contracts keep (the warning looks 90 days ahead).
SAFE_END = dt.timedelta(days=121)

#: Contracted use of a parcel, by its designated use (each allowed on the designated use).
LEASE_USES = {
    "greening": {"greening": 85, "recreation": 10, "sport": 5},
    "recreation": {"recreation": 80, "greening": 20},
    "sport": {"sport": 85, "recreation": 15},
    "housing_individual": {"housing_individual": 90, "agriculture": 10},
    "housing_multi": {"housing_multi": 70, "parking": 30},
    "agriculture": {"agriculture": 100},
    "trade": {"trade": 70, "catering": 14, "advertising": 8, "parking": 8},
    "catering": {"catering": 85, "trade": 15},
    "car_wash": {"car_wash": 88, "parking": 12},
    "parking": {"parking": 85, "car_wash": 15},
    "industry": {"industry": 80, "parking": 8, "trade": 12},
}


PREDECESSORS = {"renewal": 45, "amendment": 25, "other": 30}
IDLE_STATUSES = {"free": 86, "reserved": 7, "disputed": 7}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_end(start: dt.date, years: int) -> dt.date:
    return add_years(start, years) - DAY


@dataclass(slots=True, eq=False)
class Contract:
    number: str
    lessee: str
    start: dt.date
    end: dt.date
    use: str
    rent: int  # whole som per period
    period: str  # "year" or "month"
    leased_area: float
    basis: str
    basis_ref: str
    status: str
    signed_on: dt.date | None = None
    terminated_on: dt.date | None = None
    previous: str = ""
    relation: str = ""
    parcels: list = field(default_factory=list)
    building: object = None
    plan: str = "monthly"  # how the lessee pays
    unpaid_from: dt.date | None = None  # arrears: instalments due from here are short
    paid_share: float = 0.0  # ... and this share of each of them is paid
    no_objects: bool = False  # planted: the object link was lost
    planted: list[str] = field(default_factory=list)

    @property
    def effective_end(self) -> dt.date:
        """The last day of the term: the termination date for a terminated contract."""
        if self.terminated_on is not None and self.terminated_on < self.end:
            return self.terminated_on
        return self.end

    @property
    def annual_rent(self) -> int:
        return self.rent * 12 if self.period == "month" else self.rent

    @property
    def objects(self) -> list[tuple[str, str]]:
        if self.no_objects:
            return []
        if self.building is not None:
            return [("building", self.building.number)]
        return [("parcel", p.code) for p in self.parcels]

    @property
    def clean(self) -> bool:
        return not self.planted and all(p.clean for p in self.parcels)


class Leasing:
    """Makes the contracts of one municipality and keeps its numbering."""

    def __init__(self, spec, reference, profile, rng: random.Random, as_of: dt.date, lessees):
        self.spec, self.ref, self.profile = spec, reference, profile
        self.rng, self.as_of, self.lessees = rng, as_of, lessees
        self.contracts: list[Contract] = []
        self._seq: dict[int, int] = {}
        self._decisions: dict[int, int] = {}
        self._lots: dict[int, int] = {}
        self._plans = {
            "current": profile.current,
            "past": profile.past,
            "draft": profile.draft,
            "none": 1 - profile.current - profile.past - profile.draft,
        }

    # -- numbers and references -------------------------------------------------------
    def number(self, year: int) -> str:
        self._seq[year] = self._seq.get(year, 0) + 1
        return f"{self.spec.abbr}-{year}/{self._seq[year]:04d}"

    def decision(self, signed: dt.date) -> str:
        day = signed - self.rng.randrange(3, 40) * DAY
        self._decisions[day.year] = self._decisions.get(day.year, 0) + self.rng.randrange(1, 6)
        return f"Решение мэрии №{self._decisions[day.year]} от {day:%d.%m.%Y}"

    def auction(self, signed: dt.date) -> str:
        day = signed - self.rng.randrange(10, 45) * DAY
        self._lots[day.year] = self._lots.get(day.year, 0) + self.rng.randrange(1, 4)
        return f"Электронный аукцион, лот №{day.year}-{self._lots[day.year]:05d}"

    def basis(self, signed: dt.date, auction_share: float = 0.6) -> tuple[str, str]:
        if signed >= AUCTIONS_FROM and self.rng.random() < auction_share:
            return "auction", self.auction(signed)
        return "decision", self.decision(signed)

    # -- rent ----------------------------------------------------------------------------
    def norm(self, parcels, use: str, area: float) -> float:
        """Normative annual rent at as_of: area x base rate x Kz x Kf, averaged over the
        parcels (the demo only groups parcels of one zone and category)."""
        per_m2 = sum(self.spec.rates[p.category] * p.kz for p in parcels) / len(parcels)
        return area * per_m2 * self.ref.kf[use]

    def rent(self, norm: float, factor: float, period: str) -> int:
        """Whole som per period for an annual rent of factor x norm."""
        annual = norm * factor
        rent = round(annual / 12) if period == "month" else round(annual)
        return max(1, rent)

    def clean_rent(self, norm: float, period: str) -> int:
        rent = self.rent(norm, self.rng.triangular(0.95, 1.5, 1.05), period)
        floor = math.ceil(0.95 * norm / (12 if period == "month" else 1))
        return max(rent, floor)

    # -- dates ---------------------------------------------------------------------------
    def start_between(self, lo: dt.date, hi: dt.date) -> dt.date:
        """A start date in [lo, hi], years weighted like the profile's."""
        years = [y for y in self.profile.start_weights if lo.year <= y <= hi.year]
        if not years:
            years = list(range(lo.year, hi.year + 1))
        year = choose(self.rng, years, [self.profile.start_weights.get(y, 5) for y in years])
        first, last = max(lo, dt.date(year, 1, 1)), min(hi, dt.date(year, 12, 31))
        return first + self.rng.randrange((last - first).days + 1) * DAY

    def term_until(self, start: dt.date, after: dt.date) -> int:
        """A term in years whose end falls after `after` (10 years if only that will do)."""
        fits = [t for t in TERMS if term_end(start, t) > after]
        return choose(self.rng, fits, [TERMS[t] for t in fits]) if fits else 10

    def current_dates(self) -> tuple[dt.date, dt.date]:
        """Start and end of a clean active contract."""
        lo = max(FIRST_DAY, add_years(self.as_of + SAFE_END, -10) + 2 * DAY)
        start = self.start_between(lo, self.as_of - 20 * DAY)
        return start, term_end(start, self.term_until(start, self.as_of + SAFE_END))

    # -- contracts -------------------------------------------------------------------------
    def lessee_for(self, use: str, avoid: str = "") -> str:
        legal = 0.85 if use in self.ref.commercial else 0.33
        kind = "legal_entity" if self.rng.random() < legal else "individual"
        return self.lessees.get(kind, avoid=avoid).key

    def new(
        self,
        *,
        start: dt.date,
        end: dt.date,
        use: str,
        status: str,
        parcels=(),
        building=None,
        area: float | None = None,
        lessee: str = "",
        rent: int = 0,
        period: str = "",
        number: str = "",
        basis: tuple[str, str] | None = None,
        previous: Contract | None = None,
        relation: str = "",
    ) -> Contract:
        """A contract; rent defaults to a clean one for the parcels' norm."""
        rng = self.rng
        signed = (
            None
            if status == "draft"
            else max(start - rng.randrange(0, 25) * DAY, dt.date(2016, 12, 1))
        )
        period = period or ("month" if rng.random() < 0.45 else "year")
        if area is None:
            area = float(sum(p.documented for p in parcels))
        if not rent:
            rent = self.clean_rent(self.norm(parcels, use, area), period)
        basis = basis or self.basis(signed or start)
        contract = Contract(
            number=number or self.number((signed or start).year),
            lessee=lessee or self.lessee_for(use),
            start=start,
            end=end,
            use=use,
            rent=rent,
            period=period,
            leased_area=area,
            basis=basis[0],
            basis_ref=basis[1],
            status=status,
            signed_on=signed,
            previous=previous.number if previous else "",
            relation=relation,
            parcels=list(parcels),
            building=building,
            plan=pick(rng, self.profile.payment_plans),
        )
        self.contracts.append(contract)
        for p in contract.parcels:
            p.contracts.append(contract)
        return contract

    def lease(self, parcels: list) -> None:
        """Give every parcel its lease history and status."""
        rng = self.rng
        pairs = self._pairs(parcels)
        for p in parcels:
            if p.use == "social":
                p.status = "municipal_use"
                continue
            if p.plan == "pair-tail":
                continue
            plan = p.plan or pick(rng, self._plans)
            if not p.lease_use:
                p.lease_use = pick(rng, LEASE_USES[p.use])
            if plan == "pair-head":
                self._current([p, pairs[p.code]], history=False)
            elif plan in ("current", "current-solo"):
                self._current([p], history=plan == "current")
            elif plan == "past":
                self._past(p)
            elif plan == "draft":
                self._draft(p)
            elif plan == "free":
                p.status = "free"  # planted data-quality cases stay free and unleased
            else:
                p.status = pick(rng, IDLE_STATUSES)

    def _pairs(self, parcels: list) -> dict:
        """Neighbouring lots of one block, use and category leased together now and then
        (one contract on two parcels)."""
        heads = {}
        for a, b in zip(parcels, parcels[1:], strict=False):
            if (
                a.block is b.block
                and a.rect
                and b.rect
                and a.rect[1] == b.rect[1]
                and a.use == b.use
                and a.category == b.category
                and a.use != "social"
                and not a.plan
                and not b.plan
                and a.clean
                and b.clean
                and self.rng.random() < 0.03
            ):
                a.plan, b.plan = "pair-head", "pair-tail"
                b.lease_use = a.lease_use = pick(self.rng, LEASE_USES[a.use])
                heads[a.code] = b
        return heads

    def _current(self, parcels: list, history: bool) -> Contract:
        rng, head = self.rng, parcels[0]
        start, end = self.current_dates()
        previous, relation, lessee = None, "", ""
        if history and rng.random() < self.profile.predecessor:
            kind = pick(rng, PREDECESSORS)
            previous, relation, lessee = self._predecessor(head, start, kind)
        number = ""
        if relation == "amendment":
            number = previous.number + "-ДС1"
        contract = self.new(
            start=start,
            end=end,
            use=head.lease_use,
            status="active",
            parcels=parcels,
            lessee=lessee,
            previous=previous,
            relation=relation,
            number=number,
            basis=(previous.basis, previous.basis_ref) if relation == "amendment" else None,
        )
        for p in parcels:
            p.status = "leased"
        return contract

    def _predecessor(self, parcel, start: dt.date, kind: str):
        """An earlier contract on the parcel ending before `start`; returns
        (contract or None, relation, lessee key of the new contract)."""
        rng = self.rng
        if kind == "amendment":
            latest = start - 180 * DAY
            if latest <= FIRST_DAY:
                return None, "", ""
            p_start = self.start_between(FIRST_DAY, latest)
            old = self.new(
                start=p_start,
                end=start - DAY,
                use=parcel.lease_use,
                status="superseded",
                parcels=[parcel],
            )
            return old, "amendment", old.lessee
        if kind == "renewal":
            fits = [t for t in (1, 2, 3, 5) if add_years(start, -t) >= FIRST_DAY]
            if not fits:
                return None, "", ""
            old = self.new(
                start=add_years(start, -rng.choice(fits)),
                end=start - DAY,
                use=parcel.lease_use,
                status="superseded",
                parcels=[parcel],
            )
            return old, "renewal", old.lessee
        p_end = start - rng.randrange(30, 400) * DAY
        fits = [t for t in (1, 2, 3, 5) if add_years(p_end + DAY, -t) >= FIRST_DAY]
        if not fits:
            return None, "", ""
        old = self.new(
            start=add_years(p_end + DAY, -rng.choice(fits)),
            end=p_end,
            use=parcel.lease_use,
            status="expired",
            parcels=[parcel],
        )
        # The earlier contract is not a predecessor in the register's sense.
        return None, "", self.lessee_for(parcel.lease_use, avoid=old.lessee)

    def _past(self, parcel) -> None:
        """Leased before, nobody since: an expired or a terminated contract."""
        rng, as_of = self.rng, self.as_of
        if rng.random() < 0.8:
            end = self.start_between(dt.date(2018, 3, 1), as_of - 15 * DAY)
            fits = [t for t in (1, 2, 3, 5) if add_years(end + DAY, -t) >= FIRST_DAY]
            start = add_years(end + DAY, -rng.choice(fits or [1]))
            if start < FIRST_DAY:
                parcel.status = "free"
                return
            self.new(start=start, end=end, use=parcel.lease_use, status="expired", parcels=[parcel])
        else:
            start = self.start_between(FIRST_DAY, as_of - 200 * DAY)
            end = term_end(start, rng.choice((3, 5, 10)))
            last = min(end, as_of) - 10 * DAY
            first = start + 120 * DAY
            if last <= first:
                parcel.status = "free"
                return
            contract = self.new(
                start=start, end=end, use=parcel.lease_use, status="terminated", parcels=[parcel]
            )
            contract.terminated_on = first + rng.randrange((last - first).days) * DAY
        parcel.status = "disputed" if rng.random() < 0.12 else "free"

    def _draft(self, parcel) -> None:
        start = self.as_of + self.rng.randrange(10, 90) * DAY
        self.new(
            start=start,
            end=term_end(start, self.rng.choice((1, 3, 5))),
            use=parcel.lease_use,
            status="draft",
            parcels=[parcel],
        )
        parcel.status = "reserved"
