"""The demo data generator: deterministic, big enough, and honest about its anomalies.

The most important test re-implements every rule of data/README.md in plain Python over
the generated files and checks that what it finds is exactly planted.csv: the answer key
the anomaly engine is tested against must be complete, and nothing clean may break a rule.
No database is needed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.strtree import STRtree

try:
    import demogen
except ImportError:  # not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "data"))
    import demogen

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
RULES = (
    "contract_expired_active",
    "contract_ending_soon",
    "misuse",
    "arrears",
    "rent_below_norm",
    "occupied_without_contract",
    "parcel_overlap",
    "double_lease",
    "area_mismatch",
    "protected_layer_lease",
    "dq_no_geometry",
    "dq_invalid_geometry",
    "dq_bad_code",
    "dq_duplicate_code",
    "dq_contract_no_object",
    "dq_status_contract_mismatch",
)
CSV_STEMS = {"base_rates", "lessees", "contracts", "payments", "inspections", "planted"}
DEMO_FILES = {
    "manifest.json",
    "municipalities.geojson",
    "zones.geojson",
    "base_rates.csv",
    "protected_areas.geojson",
    "parcels.geojson",
    "buildings.geojson",
    "lessees.csv",
    "contracts.csv",
    "payments.csv",
    "inspections.csv",
    "planted.csv",
}


# -- reading the files, as any consumer would ------------------------------------------------


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_features(path: Path) -> list[tuple[dict, object]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        (f["properties"], shape(f["geometry"]) if f["geometry"] else None) for f in data["features"]
    ]


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def kyrg06_srid(longitude: float) -> int:
    return 7692 + min(max(int((longitude - (67 + 1 / 60)) // 3), 0), 4)


@lru_cache(maxsize=8)
def to_kyrg06(srid: int) -> Transformer:
    return Transformer.from_crs("EPSG:4326", f"EPSG:{srid}", always_xy=True)


def area_m2(geom) -> float:
    """Area measured in the Kyrg-06 zone of the geometry's representative point."""
    if geom is None or geom.is_empty:
        return 0.0
    t = to_kyrg06(kyrg06_srid(geom.representative_point().x))
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))).area


class Demo:
    """Every file of a generated folder, parsed."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        self.as_of = day(self.manifest["as_of"])
        self.municipalities = {
            p["slug"]: (p, g) for p, g in read_features(folder / "municipalities.geojson")
        }
        self.zones = read_features(folder / "zones.geojson")
        self.protected = read_features(folder / "protected_areas.geojson")
        self.parcels = {
            (p["municipality"], p["ident_code"]): (p, g)
            for p, g in read_features(folder / "parcels.geojson")
        }
        self.buildings = {
            (p["municipality"], p["inventory_number"]): (p, g)
            for p, g in read_features(folder / "buildings.geojson")
        }
        self.base_rates = read_csv(folder / "base_rates.csv")
        self.lessees = read_csv(folder / "lessees.csv")
        self.contracts = read_csv(folder / "contracts.csv")
        self.payments = read_csv(folder / "payments.csv")
        self.inspections = read_csv(folder / "inspections.csv")
        self.planted = read_csv(folder / "planted.csv")

    def planted_keys(self, rule: str | None = None) -> set[tuple]:
        return {
            (r["rule"], r["municipality"], r["object_kind"], r["object_key"])
            for r in self.planted
            if rule is None or r["rule"] == rule
        }

    def planted_parcels(self, rule: str) -> set[tuple]:
        found = set()
        for r in self.planted:
            if r["rule"] == rule:
                for key in r["object_key"].split("|"):
                    found.add((r["municipality"], key))
        return found


def objects(contract: dict) -> list[tuple[str, str]]:
    return [tuple(part.split(":", 1)) for part in contract["objects"].split(";") if part]


def effective_end(contract: dict) -> dt.date:
    end, terminated = day(contract["end_date"]), day(contract["terminated_on"])
    if contract["status"] == "terminated" and terminated:
        return min(end, terminated)
    return end


def instalments(contract: dict) -> list[tuple[dt.date, int]]:
    """(due date, tiyin) of the README schedule."""
    if contract["status"] == "draft":
        return []
    rent = round(float(contract["rent_amount"]) * 100)
    cents = rent if contract["rent_period"] == "month" else (2 * rent + 12) // 24
    start, end = day(contract["start_date"]), effective_end(contract)
    out, year, month = [], start.year, start.month
    while dt.date(year, month, 1) <= end:
        due = dt.date(year, month, 10)
        if start <= due <= end:
            out.append((due, cents))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# -- the rules of data/README.md --------------------------------------------------------------


def find_anomalies(demo: Demo) -> set[tuple]:
    """(rule, municipality, object kind, object key) of every rule violation.

    Where the README leaves room, this reads it as follows (the demo is built so that
    the other readings find the same set, except where noted): a terminated contract
    ends on its termination date; a "later contract" is another non-draft contract on
    the parcel that started after that end and by the inspection; the contract "active
    then" is any non-draft contract whose term covers the inspection date; "leading
    zeros" are those of each hyphen-separated group (5-08-01-001-0123 equals
    5-08-01-0001-0123), which a whole-string reading would not find.
    """
    as_of = demo.as_of
    uses = {r["code"]: r for r in read_csv(REFERENCE / "land_uses.csv")}
    allowed = {
        (r["designated_use"], r["allowed_observed_use"])
        for r in read_csv(REFERENCE / "use_compatibility.csv")
    }
    found: set[tuple] = set()
    contracts_on = defaultdict(list)  # (municipality, kind, key) -> contracts
    for c in demo.contracts:
        for kind, key in objects(c):
            contracts_on[(c["municipality"], kind, key)].append(c)
    inspections_of = defaultdict(list)
    for i in demo.inspections:
        inspections_of[(i["municipality"], i["parcel_ident_code"])].append(i)

    def on_parcel(m, code):
        return contracts_on[(m, "parcel", code)]

    # contract_expired_active, contract_ending_soon, arrears, dq_contract_no_object
    renewed = {
        (c["municipality"], c["previous_number"])
        for c in demo.contracts
        if c["relation"] == "renewal"
    }
    for c in demo.contracts:
        m, number, status = c["municipality"], c["number"], c["status"]
        end = day(c["end_date"])
        key = ("contract", number)
        if status == "active" and end < as_of:
            found.add(("contract_expired_active", m, *key))
        if status in ("expired", "terminated"):
            over = effective_end(c)
            for kind, code in objects(c):
                if kind != "parcel":
                    continue
                for i in inspections_of[(m, code)]:
                    seen = day(i["inspected_on"])
                    if (
                        seen > over
                        and i["occupied"] == "true"
                        and not any(
                            o is not c
                            and o["status"] != "draft"
                            and over < day(o["start_date"]) <= seen
                            for o in on_parcel(m, code)
                        )
                    ):
                        found.add(("contract_expired_active", m, *key))
        if (
            status == "active"
            and as_of <= end <= as_of + dt.timedelta(days=90)
            and (m, number) not in renewed
        ):
            found.add(("contract_ending_soon", m, *key))
        if not objects(c):
            found.add(("dq_contract_no_object", m, *key))
    # dq_status_contract_mismatch
    for (m, code), (props, _) in demo.parcels.items():
        active = any(c["status"] == "active" for c in on_parcel(m, code))
        if props["status"] in ("free", "leased") and (props["status"] == "leased") != active:
            found.add(("dq_status_contract_mismatch", m, "parcel", code))
    paid = defaultdict(int)
    for p in demo.payments:
        paid[(p["municipality"], p["contract_number"])] += round(float(p["amount"]) * 100)
    for c in demo.contracts:
        owed = sum(cents for due, cents in instalments(c) if due < as_of - dt.timedelta(days=30))
        if owed - paid[(c["municipality"], c["number"])] > 100_000:
            found.add(("arrears", c["municipality"], "contract", c["number"]))

    # misuse, occupied_without_contract
    for (m, code), seen in list(inspections_of.items()):
        if not seen:
            continue
        latest = max(seen, key=lambda i: i["inspected_on"])
        when = day(latest["inspected_on"])
        parcel = demo.parcels[(m, code)][0]
        observed = latest["observed_use"]
        if observed:
            active_then = [
                c
                for c in on_parcel(m, code)
                if c["status"] != "draft" and day(c["start_date"]) <= when <= effective_end(c)
            ]
            if (parcel["designated_use"], observed) not in allowed or any(
                (c["contracted_use"], observed) not in allowed for c in active_then
            ):
                found.add(("misuse", m, "parcel", code))
        if (
            latest["occupied"] == "true"
            and parcel["status"] != "municipal_use"
            and not any(day(c["start_date"]) <= when for c in on_parcel(m, code))
        ):
            found.add(("occupied_without_contract", m, "parcel", code))

    # rent_below_norm, protected_layer_lease
    rates = {
        (r["municipality"], r["land_category"]): float(r["rate"])
        for r in demo.base_rates
        if day(r["valid_from"]) <= as_of
    }
    zones = defaultdict(list)
    for z, geom in demo.zones:
        if day(z["valid_from"]) <= as_of and (not z["valid_to"] or as_of <= day(z["valid_to"])):
            zones[z["municipality"]].append((float(z["kz"]), geom))
    protected = defaultdict(list)
    for p, geom in demo.protected:
        protected[p["municipality"]].append(geom)
    trees = {m: STRtree(g) for m, g in protected.items()}
    for c in demo.contracts:
        m = c["municipality"]
        parcels = [demo.parcels[(m, key)] for kind, key in objects(c) if kind == "parcel"]
        if c["status"] != "active" or not parcels:
            continue
        factors = []
        for props, geom in parcels:
            centroid = geom.centroid
            kz = [k for k, g in zones[m] if g.contains(centroid)]
            assert len(kz) == 1, (props["ident_code"], kz)
            factors.append(rates[(m, props["land_category"])] * kz[0])
        norm = (
            float(c["leased_area"])
            * sum(factors)
            / len(factors)
            * float(uses[c["contracted_use"]]["kf"])
        )
        annual = float(c["rent_amount"]) * (12 if c["rent_period"] == "month" else 1)
        if annual < 0.8 * norm:
            found.add(("rent_below_norm", m, "contract", c["number"]))
        if uses[c["contracted_use"]]["is_commercial"] == "true":
            for _, geom in parcels:
                if geom is None or not geom.is_valid or m not in trees:
                    continue
                for k in trees[m].query(geom, predicate="intersects"):
                    if area_m2(geom.intersection(protected[m][k])) > 1:
                        found.add(("protected_layer_lease", m, "contract", c["number"]))

    # double_lease
    for (m, _, _), on in contracts_on.items():
        active = sorted((c for c in on if c["status"] == "active"), key=lambda c: c["number"])
        for n, a in enumerate(active):
            for b in active[n + 1 :]:
                if day(a["start_date"]) <= day(b["end_date"]) and day(b["start_date"]) <= day(
                    a["end_date"]
                ):
                    found.add(
                        (
                            "double_lease",
                            m,
                            "contract_pair",
                            "|".join(sorted((a["number"], b["number"]))),
                        )
                    )

    # parcel rules: geometry, area, overlap, codes
    by_municipality = defaultdict(list)
    for (m, code), (props, geom) in demo.parcels.items():
        if geom is None:
            found.add(("dq_no_geometry", m, "parcel", code))
            continue
        if not geom.is_valid:
            found.add(("dq_invalid_geometry", m, "parcel", code))
            continue
        by_municipality[m].append((code, geom))
        measured = area_m2(geom)
        if abs(float(props["documented_area"]) - measured) > 0.1 * measured:
            found.add(("area_mismatch", m, "parcel", code))
    for m, items in by_municipality.items():
        tree = STRtree([g for _, g in items])
        for n, (code, geom) in enumerate(items):
            for k in tree.query(geom, predicate="intersects"):
                if k > n and area_m2(geom.intersection(items[k][1])) > 1:
                    found.add(
                        ("parcel_overlap", m, "parcel_pair", "|".join(sorted((code, items[k][0]))))
                    )
    patterns = {m: re.compile(p["code_pattern"]) for m, (p, _) in demo.municipalities.items()}
    normal = defaultdict(list)
    for m, code in demo.parcels:
        if not patterns[m].search(code):
            found.add(("dq_bad_code", m, "parcel", code))
        normal[(m, re.sub(r"(?<![0-9])0+(?=[0-9])", "", re.sub(r"\s", "", code)))].append(code)
    for (m, _), codes in normal.items():
        for n, a in enumerate(sorted(codes)):
            for b in sorted(codes)[n + 1 :]:
                found.add(("dq_duplicate_code", m, "parcel_pair", f"{a}|{b}"))
    return found


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> tuple[Demo, float]:
    folder = tmp_path_factory.mktemp("demo")
    began = time.perf_counter()
    demogen.generate(folder)
    return Demo(folder), time.perf_counter() - began


@pytest.fixture(scope="session")
def demo(demo_run) -> Demo:
    return demo_run[0]


@pytest.fixture(scope="session")
def small(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    demogen.generate(folder, parcels=400)
    return folder


# -- tests -------------------------------------------------------------------------------------


def test_the_committed_demo_is_exactly_what_the_generator_makes(demo):
    """data/demo is not edited by hand: it is the generator's output, byte for byte."""
    committed = Path(__file__).resolve().parents[2] / "data" / "demo"
    fresh = sorted(p.name for p in demo.folder.iterdir())
    assert sorted(p.name for p in committed.iterdir()) == fresh
    for name in fresh:
        assert (committed / name).read_bytes() == (demo.folder / name).read_bytes(), name


def test_the_demo_has_exactly_the_files_of_the_readme(demo):
    assert {p.name for p in demo.folder.iterdir()} == DEMO_FILES
    counts = demo.manifest["counts"]
    assert {
        f"{stem}.{'csv' if stem in CSV_STEMS else 'geojson'}" for stem in counts
    } == DEMO_FILES - {"manifest.json"}
    assert counts["parcels"] == len(demo.parcels)
    assert counts["payments"] == len(demo.payments)
    assert counts["planted"] == len(demo.planted)


def test_same_seed_and_date_give_byte_identical_files(small, tmp_path):
    demogen.generate(tmp_path, parcels=400)
    for path in sorted(small.iterdir()):
        assert path.read_bytes() == (tmp_path / path.name).read_bytes(), path.name


def test_another_seed_gives_other_files(small, tmp_path):
    demogen.generate(tmp_path, seed=7, parcels=400)
    for name in ("parcels.geojson", "contracts.csv", "payments.csv", "planted.csv"):
        assert (small / name).read_bytes() != (tmp_path / name).read_bytes(), name


def test_the_demo_is_big_enough(demo):
    per_city = defaultdict(int)
    for m, _ in demo.parcels:
        per_city[m] += 1
    assert len(demo.parcels) >= 3000
    assert per_city["osh"] >= 1700 and per_city["jalal-abad"] >= 900
    assert per_city["nookat"] >= 350
    assert len(demo.buildings) >= 800
    assert any(p["kind"] == "premise" for p, _ in demo.buildings.values())
    assert len(demo.lessees) >= 900
    # An ИП (individual_entrepreneur) leases as a company does.
    companies = sum(
        1 for r in demo.lessees if r["kind"] in ("legal_entity", "individual_entrepreneur")
    )
    assert 0.5 <= companies / len(demo.lessees) <= 0.7
    assert len(demo.contracts) >= 1500
    assert len(demo.inspections) >= 1200
    assert {c["status"] for c in demo.contracts} == {
        "draft",
        "active",
        "expired",
        "terminated",
        "superseded",
    }
    assert sum(1 for c in demo.contracts if c["objects"].count("parcel:") == 2) >= 3


def test_the_demo_fits_in_eight_megabytes(demo):
    assert sum(p.stat().st_size for p in demo.folder.iterdir()) < 8_000_000


def test_every_rule_is_planted_at_least_three_times(demo):
    counts = defaultdict(int)
    for row in demo.planted:
        counts[row["rule"]] += 1
    assert {rule: counts[rule] for rule in RULES if counts[rule] < 3} == {}
    assert set(counts) <= set(RULES)


def test_greening_used_for_business_is_the_most_common_misuse(demo):
    misuse = [r for r in demo.planted if r["rule"] == "misuse"]
    greening = [r for r in misuse if r["detail"].startswith(("greening", "free greening"))]
    assert len(greening) > len(misuse) / 2


def test_planted_csv_is_exactly_what_the_readme_rules_find(demo):
    found = find_anomalies(demo)
    planted = demo.planted_keys()
    assert sorted(found - planted) == [], "clean objects break a rule"
    assert sorted(planted - found) == [], "planted cases the rules do not find"


def test_planted_csv_is_exact_for_a_small_run_and_another_seed(small, tmp_path):
    assert find_anomalies(Demo(small)) == Demo(small).planted_keys()
    demogen.generate(tmp_path, seed=99, parcels=1200)
    other = Demo(tmp_path)
    assert find_anomalies(other) == other.planted_keys()


def test_planted_csv_is_exact_with_the_benchmark_proportions(tmp_path):
    # Benchmark runs pay a year or a quarter ahead and lease more; the key still holds.
    demogen.generate(tmp_path, parcels=1500, profile="scale")
    run = Demo(tmp_path)
    assert find_anomalies(run) == run.planted_keys()


def test_only_planted_parcels_overlap(demo):
    planted = demo.planted_parcels("parcel_overlap")
    for m in demo.municipalities:
        items = [
            (code, g)
            for (mm, code), (_, g) in demo.parcels.items()
            if mm == m and g is not None and g.is_valid
        ]
        tree = STRtree([g for _, g in items])
        for n, (code, geom) in enumerate(items):
            for k in tree.query(geom, predicate="intersects"):
                if k != n and area_m2(geom.intersection(items[k][1])) > 1:
                    assert (m, code) in planted and (m, items[k][0]) in planted


def test_only_planted_parcels_differ_from_their_papers(demo):
    planted = demo.planted_parcels("area_mismatch")
    for (m, code), (props, geom) in demo.parcels.items():
        if geom is None or not geom.is_valid:
            continue
        measured = area_m2(geom)
        off = abs(props["documented_area"] - measured) / measured
        assert (off > 0.1) == ((m, code) in planted), (code, off)


def test_clean_commercial_leases_keep_off_protected_land(demo):
    commercial = {
        r["code"] for r in read_csv(REFERENCE / "land_uses.csv") if r["is_commercial"] == "true"
    }
    planted = {
        (r["municipality"], r["object_key"])
        for r in demo.planted
        if r["rule"] == "protected_layer_lease"
    }
    protected = shapely.union_all([g for _, g in demo.protected])
    for c in demo.contracts:
        if c["status"] != "active" or c["contracted_use"] not in commercial:
            continue
        if (c["municipality"], c["number"]) in planted:
            continue
        for kind, key in objects(c):
            if kind == "parcel":
                geom = demo.parcels[(c["municipality"], key)][1]
                assert geom is None or not geom.intersects(protected), (c["number"], key)


def test_every_parcel_lies_in_exactly_one_zone_valid_at_as_of(demo):
    as_of = demo.as_of
    current = defaultdict(list)
    for z, geom in demo.zones:
        if day(z["valid_from"]) <= as_of and (not z["valid_to"] or as_of <= day(z["valid_to"])):
            current[z["municipality"]].append(geom)
    for (m, code), (_, geom) in demo.parcels.items():
        if geom is not None:
            # A self-crossing outline has no meaningful centroid; its repaired one does.
            centroid = (geom if geom.is_valid else shapely.make_valid(geom)).centroid
            assert sum(z.contains(centroid) for z in current[m]) == 1, code


def test_osh_zones_were_amended_in_2025(demo):
    osh = [z for z, _ in demo.zones if z["municipality"] == "osh"]
    assert any(z["valid_to"] == "2025-06-30" for z in osh)
    assert sum(z["valid_from"] == "2025-07-01" for z in osh) == 2


def test_every_geometry_of_a_layer_is_valid(demo):
    for features in (
        demo.zones,
        demo.protected,
        list(demo.municipalities.values()),
        list(demo.buildings.values()),
    ):
        for props, geom in features:
            assert geom is not None and geom.is_valid, props


def test_contracts_refer_to_existing_objects_and_lessees(demo):
    lessees = {(r["municipality"], r["key"]) for r in demo.lessees}
    numbers = {(c["municipality"], c["number"]) for c in demo.contracts}
    for c in demo.contracts:
        m = c["municipality"]
        assert (m, c["lessee_key"]) in lessees
        for kind, key in objects(c):
            assert (m, key) in (demo.parcels if kind == "parcel" else demo.buildings), key
        if c["previous_number"]:
            assert (m, c["previous_number"]) in numbers and c["relation"]
    for p in demo.payments:
        assert (p["municipality"], p["contract_number"]) in numbers


def test_statuses_follow_the_dates(demo):
    as_of = demo.as_of
    planted = {
        (r["municipality"], r["object_key"])
        for r in demo.planted
        if r["rule"] == "contract_expired_active"
    }
    superseded = {
        (c["municipality"], c["previous_number"]) for c in demo.contracts if c["previous_number"]
    }
    active_on = defaultdict(int)
    for c in demo.contracts:
        start, end, status = day(c["start_date"]), day(c["end_date"]), c["status"]
        assert start < end
        if status == "active" and (c["municipality"], c["number"]) not in planted:
            assert start <= as_of <= end
        if status == "expired":
            assert end < as_of
        if status == "terminated":
            assert start <= day(c["terminated_on"]) <= as_of
        if status == "superseded":
            assert (c["municipality"], c["number"]) in superseded
        if status == "draft":
            assert start > as_of and not c["signed_on"]
        if status == "active":
            for kind, key in objects(c):
                active_on[(c["municipality"], kind, key)] += 1
    left_leased = {
        (r["municipality"], r["object_key"])
        for r in demo.planted
        if r["rule"] == "dq_status_contract_mismatch"
    }
    for (m, code), (props, _) in demo.parcels.items():
        if (m, code) in left_leased:  # planted: the status was not changed at the end
            assert props["status"] == "leased" and not active_on[(m, "parcel", code)], code
            continue
        assert (props["status"] == "leased") == (active_on[(m, "parcel", code)] > 0), code


def test_inns_are_fourteen_digits_and_unique(demo):
    seen = set()
    for r in demo.lessees:
        if r["kind"] == "legal_entity":
            assert re.fullmatch(r"0\d{13}", r["inn"]), r
        elif r["kind"] == "individual_entrepreneur":  # a natural person's ИНН, always known
            assert re.fullmatch(r"[12]\d{13}", r["inn"]) and r["name"].startswith("ИП "), r
        elif r["inn"]:
            assert re.fullmatch(r"[12]\d{13}", r["inn"]), r
        assert not r["inn"] or (r["municipality"], r["inn"]) not in seen
        seen.add((r["municipality"], r["inn"]))


def test_clean_codes_match_their_pattern(demo):
    bad = demo.planted_parcels("dq_bad_code")
    for m, (props, _) in demo.municipalities.items():
        pattern = re.compile(props["code_pattern"])
        for mm, code in demo.parcels:
            if mm == m and (m, code) not in bad:
                assert pattern.search(code), code


def test_inspections_stand_inside_their_parcels(demo):
    for i in demo.inspections:
        geom = demo.parcels[(i["municipality"], i["parcel_ident_code"])][1]
        point = shapely.geometry.Point(float(i["lon"]), float(i["lat"]))
        assert geom is not None and geom.contains(point), i


def test_clean_lessees_pay_every_instalment_on_time(demo):
    planted = {(r["municipality"], r["object_key"]) for r in demo.planted if r["rule"] == "arrears"}
    paid = defaultdict(int)
    for p in demo.payments:
        paid[(p["municipality"], p["contract_number"])] += round(float(p["amount"]) * 100)
    for c in demo.contracts:
        key = (c["municipality"], c["number"])
        if key not in planted:
            owed = sum(cents for due, cents in instalments(c) if due <= demo.as_of)
            assert paid[key] >= owed, key


def test_big_runs_add_towns_measured_in_their_own_zone():
    from demogen import cities

    specs = cities.plan(1_000_000, demogen.DEFAULT_SEED)
    assert sum(s.target for s in specs) == 1_000_000
    towns = [s for s in specs if s.slug.startswith("town-")]
    assert len(towns) == 99 and towns[0].slug == "town-0001"
    assert all(70.0167 < s.lon < 76.0167 for s in towns)
    assert all(s.measure_srid == (7693 if s.lon < 73.0167 else 7694) for s in towns)
    assert len({s.code_prefix for s in specs}) == len(specs)
