"""Benchmark of the anomaly scan against a straightforward per-record Python check.

    .venv/bin/python bench/anomaly_scan.py                      # 20,000 parcels, minutes
    .venv/bin/python bench/anomaly_scan.py --parcels 1000000    # the issue's target

Generates demo data at the scale asked (data/demogen), loads it with
inventory.services.demo.load_demo into a fresh database that is dropped at the end, then
prints: the full scan (median of 3 after a warm-up), four rules set-based against the same
four rules checked record by record in Python over a sample (extrapolated to every
record), and the time to re-check one edited record (median and p95 over 50).
Figures only: nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inventory import config as config_module  # noqa: E402
from inventory import models as m  # noqa: E402
from inventory.database import embedded, migrate  # noqa: E402
from inventory.database.session import database_url, embedded_cluster, make_engine  # noqa: E402
from inventory.services import demo, reference  # noqa: E402
from inventory.services.anomalies import engine  # noqa: E402

BASELINE_RULES = ("contract_expired_active", "contract_ending_soon", "arrears",
                  "area_mismatch")


@contextmanager
def fresh_database():
    """A new migrated database with the reference tables (as tests/conftest does),
    dropped afterwards whatever happens."""
    settings = config_module.load()
    if not settings.get("DATABASE_URL"):
        embedded.up(embedded_cluster(settings))
    base = make_url(database_url(settings))
    name = f"inventory_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base.set(database="postgres").render_as_string(hide_password=False),
                        poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        db = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(db) as session, session.begin():
            reference.ensure_reference_data(session)
        yield db
        db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# -- the baseline: the same rules, one record at a time, as a naive app would ---------

def naive_contract(session: so.Session, c: m.LeaseContract, as_of: dt.date) -> list[str]:
    found = []
    if c.status == m.ContractStatus.ACTIVE and c.end_date < as_of:
        found.append("contract_expired_active")
    if c.status == m.ContractStatus.ACTIVE and 0 <= (c.end_date - as_of).days <= 90:
        renewed = session.scalar(sa.select(sa.func.count()).select_from(m.LeaseContract)
                                 .where(m.LeaseContract.previous_id == c.id))
        if not renewed:
            found.append("contract_ending_soon")
    cutoff = as_of - dt.timedelta(days=30)
    due = sum((s.amount for s in c.schedule if s.due_date < cutoff), Decimal(0))
    payments = session.scalars(sa.select(m.Payment).where(m.Payment.contract_id == c.id,
                                                           m.Payment.paid_on <= as_of))
    paid = sum((p.amount for p in payments if p.archived_at is None), Decimal(0))
    if due - paid > 1000:
        found.append("arrears")
    return found


def naive_parcel(session: so.Session, p: m.Parcel) -> list[str]:
    if p.geom is None or p.documented_area is None:
        return []
    measured = session.scalar(sa.select(sa.func.inventory_area_m2(m.Parcel.geom))
                              .where(m.Parcel.id == p.id))
    if measured and abs(Decimal(p.documented_area) - Decimal(measured)) > \
            Decimal(measured) / 10:
        return ["area_mismatch"]
    return []


def run(parcels: int, sample: int, out: Path | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-demo-")) if out is None else out
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "demogen", "--out", str(workdir),
                    "--parcels", str(parcels)], cwd=ROOT, check=True,
                   env={"PYTHONPATH": str(ROOT / "data"), "PATH": "/usr/bin:/bin"})
    print(f"generated {parcels:,} parcels in {time.perf_counter() - t:.0f} s", flush=True)
    as_of = dt.date.fromisoformat(json.loads((workdir / "manifest.json").read_text())["as_of"])
    with fresh_database() as db:
        t = time.perf_counter()
        with so.Session(db) as session, session.begin():
            demo.load_demo(session, workdir, password=None)
        print(f"loaded in {time.perf_counter() - t:.0f} s", flush=True)
        with so.Session(db) as session:
            n_contracts = session.scalar(sa.select(sa.func.count(m.LeaseContract.id)))
            n_parcels = session.scalar(sa.select(sa.func.count(m.Parcel.id)))
        table = []

        def scan_times(rules=None) -> float:
            times = []
            for _ in range(4):  # a warm-up, then three timed runs
                with so.Session(db) as session, session.begin():
                    times.append(timed(lambda s=session: engine.scan(s, as_of=as_of,
                                                                     rules=rules)))
            return statistics.median(times[1:])

        full = scan_times()
        table.append(("full scan, 15 rules", f"{full:.2f} s", "", ""))
        rng = random.Random(42)
        with so.Session(db) as session:
            contract_ids = sorted(session.scalars(sa.select(m.LeaseContract.id)))
            parcel_ids = sorted(session.scalars(sa.select(m.Parcel.id)))
            picked_c = rng.sample(contract_ids, min(sample, len(contract_ids)))
            picked_p = rng.sample(parcel_ids, min(sample, len(parcel_ids)))
            t_contracts = timed(lambda: [naive_contract(session, session.get(
                m.LeaseContract, i), as_of) for i in picked_c])
            t_parcels = timed(lambda: [naive_parcel(session, session.get(m.Parcel, i))
                                       for i in picked_p])
        naive = (t_contracts / len(picked_c) * n_contracts
                 + t_parcels / len(picked_p) * n_parcels)
        four = scan_times(list(BASELINE_RULES))
        table.append((f"4 rules ({', '.join(BASELINE_RULES)})", f"{four:.2f} s",
                      f"{naive:.1f} s (per record x {n_contracts:,} contracts + "
                      f"{n_parcels:,} parcels)", f"{naive / four:.0f}x"))

        times = []
        with so.Session(db) as session:
            for i in range(50):
                with session.begin():
                    if i % 2:
                        obj = session.get(m.LeaseContract, rng.choice(contract_ids))
                        obj.note = f"bench {i}"
                        kw = {"contract_ids": [obj.id]}
                    else:
                        obj = session.get(m.Parcel, rng.choice(parcel_ids))
                        obj.note = f"bench {i}"
                        kw = {"parcel_ids": [obj.id]}
                    session.flush()
                    times.append(timed(lambda kw=kw: engine.recheck(session, as_of=as_of,
                                                                    **kw)))
        times.sort()
        median = statistics.median(times)
        table.append(("re-check one edited record, median", f"{median * 1000:.0f} ms",
                      f"full scan {full:.2f} s", f"{full / median:.0f}x"))
        table.append(("re-check one edited record, p95",
                      f"{times[int(0.95 * len(times)) - 1] * 1000:.0f} ms", "", ""))
    widths = [max(len(str(r[i])) for r in table + [("what", "figure", "baseline", "ratio")])
              for i in range(4)]
    for row in [("what", "figure", "baseline", "ratio")] + table:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=2_000,
                        help="records checked one by one for the baseline")
    parser.add_argument("--out", type=Path, help="keep the generated files here")
    args = parser.parse_args()
    run(args.parcels, args.sample, args.out)


if __name__ == "__main__":
    main()
