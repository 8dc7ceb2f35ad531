"""The national benchmark database: the demo at the scale of the whole country.

    from bench import national
    url = national.ensure(1_000_000)   # built once (about ten minutes), then reused

    .venv/bin/python bench/national.py --parcels 100000 [--rebuild | --drop]

`ensure(parcels)` returns the SQLAlchemy URL of `inventory_bench_national_<parcels>` on
the embedded PostGIS (or on the server of DATABASE_URL), migrated like a real
installation, with the reference tables and, for N parcels: towns over Kyrgyzstan with
boundaries, economic-planning zones, base rates and protected layers; N parcels with
dense centres; a quarter as many buildings; lessees (companies and private individuals);
about N lease contracts with their objects and payment schedules (as
inventory.services.schedule builds them); about 5 payments per contract; 0.3 N
inspections; and planted problems for every anomaly rule (see national_sql).

Everything is generated inside PostgreSQL (bench/national_sql.py), with triggers and
foreign-key checks off and the secondary indexes dropped during the load and rebuilt
after it. A table `bench_meta` written last marks a complete build: a database without
it is rebuilt. A PostgreSQL advisory lock makes concurrent callers build it once.
`bench_city` stays in the database: the towns with their centres and radii, which the
benchmarks use to find dense areas.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_cities as towns  # noqa: E402
import national_sql as gen  # noqa: E402

from inventory import config as config_module  # noqa: E402
from inventory.database import embedded, migrate  # noqa: E402
from inventory.database.session import database_url, embedded_cluster, make_engine  # noqa: E402

SEED = 0.20261101
#: Tables loaded in bulk: their secondary indexes are dropped first and rebuilt after.
BULK_TABLES = (
    "parcel",
    "building",
    "lessee",
    "lease_contract",
    "contract_object",
    "scheduled_payment",
    "payment",
    "inspection",
)
SERIAL_TABLES = ("municipality", "economic_zone", "base_rate", "protected_area") + BULK_TABLES
LESSEES_PER_PARCEL = 0.45


def log(message: str) -> None:
    print(f"[national {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def database_name(parcels: int) -> str:
    return f"inventory_bench_national_{parcels}"


def server_url() -> str:
    """The URL of the server's default database (the embedded PostGIS is started if
    needed, as tests/conftest.py does)."""
    settings = config_module.load()
    if not settings.get("DATABASE_URL"):
        embedded.up(embedded_cluster(settings))
    return database_url(settings)


def url_for(parcels: int) -> str:
    return (
        make_url(server_url())
        .set(database=database_name(parcels))
        .render_as_string(hide_password=False)
    )


def _admin() -> sa.Engine:
    url = make_url(server_url()).set(database="postgres").render_as_string(hide_password=False)
    return make_engine(url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")


def _is_complete(admin: sa.Connection, parcels: int) -> bool:
    name = database_name(parcels)
    if not admin.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
        return False
    engine = make_engine(url_for(parcels), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if conn.scalar(sa.text("SELECT to_regclass('bench_meta')")) is None:
                return False
            return (
                conn.scalar(
                    sa.text("SELECT count(*) FROM bench_meta WHERE parcels = :p"), {"p": parcels}
                )
                > 0
            )
    finally:
        engine.dispose()


def ensure(parcels: int = 1_000_000, *, rebuild: bool = False) -> str:
    """The URL of a complete national database of `parcels` parcels, built if missing or
    incomplete (or when `rebuild`), brought to the latest migration when reused. Two
    processes calling it at once build it once: the second waits on an advisory lock and
    then finds it complete."""
    if parcels < 100:
        raise ValueError("parcels must be at least 100")
    admin = _admin()
    try:
        with admin.connect() as conn:
            key = f"inventory_bench_national:{parcels}"
            conn.execute(sa.text("SELECT pg_advisory_lock(hashtext(:k))"), {"k": key})
            try:
                if rebuild or not _is_complete(conn, parcels):
                    _build(conn, parcels)
                else:
                    _upgrade(parcels)
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(hashtext(:k))"), {"k": key})
    finally:
        admin.dispose()
    return url_for(parcels)


def _upgrade(parcels: int) -> None:
    """Apply migrations added since the build (new columns, indexes) in place, and refresh
    the statistics and visibility map of what they rewrote."""
    url = url_for(parcels)
    before = migrate.current_revision(url)
    migrate.upgrade(url)
    if migrate.current_revision(url) != before:
        log(f"migrated {database_name(parcels)} from {before}; vacuum analyze")
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        try:
            _vacuum(engine)
        finally:
            engine.dispose()


def drop(parcels: int) -> None:
    admin = _admin()
    try:
        with admin.connect() as conn:
            name = database_name(parcels)
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _build(admin: sa.Connection, parcels: int) -> None:
    started = time.monotonic()
    name = database_name(parcels)
    log(f"building {name}")
    admin.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = url_for(parcels)
    migrate.upgrade(url)
    engine = make_engine(
        url,
        poolclass=sa.pool.NullPool,
        connect_args={
            "options": "-c session_replication_role=replica -c synchronous_commit=off "
            "-c work_mem=256MB -c maintenance_work_mem=512MB "
            "-c max_parallel_maintenance_workers=1 -c jit=off",
            "application_name": "inventory-bench-national",
        },
    )
    try:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            _reference(conn)
            indexes = _drop_indexes(conn)
            _fill(engine, conn, parcels)
            _rebuild_indexes(engine, indexes)
            # The triggers that mark parcels for the overlap store were off during the
            # load: every parcel waits for the first scan, as after a migration.
            conn.execute(
                sa.text(
                    "INSERT INTO parcel_overlap_stale (parcel_id) "
                    "SELECT id FROM parcel ON CONFLICT DO NOTHING"
                )
            )
            _derived_tables(conn)
            for table in SERIAL_TABLES:
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                    )
                )
            conn.execute(sa.text("DROP TABLE gen_parcel, gen_contract"))
            _vacuum(engine)
            seconds = round(time.monotonic() - started, 1)
            conn.execute(
                sa.text(
                    "CREATE TABLE bench_meta (parcels int, built_at timestamptz, as_of date, "
                    "seconds numeric)"
                )
            )
            conn.execute(
                sa.text("INSERT INTO bench_meta VALUES (:p, now(), :d, :s)"),
                {"p": parcels, "d": dt.date.today(), "s": seconds},
            )
    finally:
        engine.dispose()
    log(f"{name} complete in {time.monotonic() - started:.0f} s")


def _derived_tables(conn: sa.Connection) -> None:
    """Fill what triggers keep in a real install, since they were off during the load:
    the words of the addresses, which the misspelt-street search corrects against
    (empty, that search fell back to a slow path and measured nothing real), each
    parcel's current lease, which the tiles read, and each visible parcel's overview
    shape, which the z10-z13 tiles draw. The SQL is the one migrations 0011, 0024 and
    0025 fill the tables with."""
    words = _migration("0011_address_words.py")
    conn.execute(sa.text("TRUNCATE address_word"))
    conn.execute(
        sa.text("INSERT INTO address_word (word) " + words._WORDS_OF.format(rows="parcel"))
    )
    conn.execute(sa.text("TRUNCATE parcel_current_lease"))
    conn.execute(sa.text(_migration("0024_current_lease_of_each_parcel.py").FILL))
    conn.execute(sa.text("TRUNCATE parcel_overview"))
    conn.execute(sa.text(_migration("0025_parcel_overview_for_low_zoom_tiles.py").FILL))


def _migration(name: str):
    """The module of migrations/versions/`name`, for the SQL it fills tables with."""
    import importlib.util

    path = ROOT / "migrations" / "versions" / name
    spec = importlib.util.spec_from_file_location(f"migration_{path.stem}", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def _reference(conn: sa.Connection) -> None:
    import sqlalchemy.orm as so

    from inventory.services import reference

    with so.Session(bind=conn) as session:
        reference.ensure_reference_data(session)
        session.commit()


def _vacuum(engine: sa.Engine) -> None:
    """VACUUM (ANALYZE) every table, the biggest on one connection and the rest on
    another, so the first readers find hint bits set and the planner has statistics."""
    t = time.monotonic()
    with engine.connect() as conn:
        tables = list(
            conn.scalars(
                sa.text(
                    "SELECT relname FROM pg_stat_user_tables ORDER BY pg_relation_size(relid) DESC"
                )
            )
        )

    def run(group: list[str]) -> None:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in group:
                conn.execute(sa.text(f'VACUUM (ANALYZE) "{table}"'))

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(run, (tables[:1], tables[1:])))
    log(f"vacuum analyze: {time.monotonic() - t:.1f} s")


def _timed(conn: sa.Connection, label: str, sql: str, **params) -> None:
    t = time.monotonic()
    conn.execute(sa.text(sql), params)
    log(f"{label}: {time.monotonic() - t:.1f} s")


def _statements(script: str) -> list[str]:
    return [
        s.strip()
        for s in script.split(";\n")
        if s.strip()
        and not all(
            line.strip().startswith("--") or not line.strip() for line in s.strip().splitlines()
        )
    ]


def _drop_indexes(conn: sa.Connection) -> list[str]:
    """Drop the secondary indexes and unique constraints of the bulk tables; return the
    statements that recreate them."""
    rows = conn.execute(
        sa.text("""
        SELECT i.indrelid::regclass::text AS tbl, i.indexrelid::regclass::text AS idx,
               pg_get_indexdef(i.indexrelid) AS indexdef, con.conname,
               pg_get_constraintdef(con.oid) AS condef
          FROM pg_index i
          LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype = 'u'
               AND con.conrelid = i.indrelid
         WHERE i.indrelid = ANY(CAST(:tables AS regclass[])) AND NOT i.indisprimary
    """),
        {"tables": list(BULK_TABLES)},
    ).all()
    recreate = []
    for table in BULK_TABLES:  # autovacuum would only compete with the load for the cores
        conn.execute(sa.text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
        recreate.append(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
    for tbl, idx, indexdef, conname, condef in rows:
        if conname:
            conn.execute(sa.text(f'ALTER TABLE {tbl} DROP CONSTRAINT "{conname}"'))
            recreate.append(f'ALTER TABLE {tbl} ADD CONSTRAINT "{conname}" {condef}')
        else:
            conn.execute(sa.text(f"DROP INDEX {idx}"))
            recreate.append(indexdef)
    return recreate


def _rebuild_indexes(engine: sa.Engine, statements: list[str]) -> None:
    """Recreate the indexes on two connections at once (one per core)."""
    t = time.monotonic()

    def run(sql: str) -> None:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(sa.text(sql))

    # The biggest tables first, so the two connections finish together.
    order = {t: n for n, t in enumerate(("scheduled_payment", "payment", "parcel"))}
    statements = sorted(
        statements,
        key=lambda s: min(
            (order[t] for t in order if f" {t} " in s or f" public.{t} " in s), default=9
        ),
    )
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(run, statements))
    log(f"{len(statements)} indexes: {time.monotonic() - t:.1f} s")


def _city_rows(parcels: int) -> list[dict]:
    rng = random.Random(parcels)
    rows, first_parcel, first_lessee = [], 1, 1
    for town in towns.plan(parcels):
        n = town["parcels"]
        k = math.ceil(math.sqrt(n * 4 / math.pi * 1.03)) + 2
        lessees = max(1, round(n * LESSEES_PER_PARCEL))
        lat = town["lat"]
        rows.append(
            {
                **town,
                "k": k,
                "r_m": gen.SPACING * k / 2,
                "angle": math.radians(rng.uniform(-20, 20)),
                "ex": rng.uniform(1.0, 1.25),
                "l1": rng.uniform(0.04, 0.10),
                "p1": rng.uniform(0, 2 * math.pi),
                "l2": rng.uniform(0.02, 0.06),
                "p2": rng.uniform(0, 2 * math.pi),
                "kx": 1 / (111320 * math.cos(math.radians(lat))),
                "ky": 1 / 110574,
                "measure_srid": 7692
                + min(max(math.floor((town["lon"] - 67.0166666667) / 3), 0), 4),
                "first_parcel": first_parcel,
                "lessees": lessees,
                "first_lessee": first_lessee,
            }
        )
        first_parcel += n
        first_lessee += lessees
    return rows


def _fill(engine: sa.Engine, conn: sa.Connection, parcels: int) -> None:
    as_of = dt.date.today()
    conn.execute(sa.text("SELECT setseed(:s)"), {"s": SEED})
    conn.execute(sa.text("SET max_parallel_workers_per_gather = 0"))  # one random() stream
    conn.execute(
        sa.text("""
        CREATE TABLE bench_city (
            id int PRIMARY KEY, slug text, name_ky text, name_ru text, name_en text,
            lon float8, lat float8, parcels int, first_parcel int, k int, r_m float8,
            angle float8, ex float8, l1 float8, p1 float8, l2 float8, p2 float8,
            kx float8, ky float8, rate_scale float8, code_prefix text, abbr text,
            measure_srid int, lessees int, first_lessee int)""")
    )
    cities = _city_rows(parcels)
    columns = (
        "id slug name_ky name_ru name_en lon lat parcels first_parcel k r_m angle ex "
        "l1 p1 l2 p2 kx ky rate_scale code_prefix abbr measure_srid lessees "
        "first_lessee"
    ).split()
    conn.execute(
        sa.text(
            f"INSERT INTO bench_city ({', '.join(columns)}) VALUES "
            f"({', '.join(':' + c for c in columns)})"
        ),
        [{c: row[c] for c in columns} for row in cities],
    )
    conn.connection.driver_connection.execute(gen.FUNCTIONS)  # several statements
    words = {
        "streets": list(towns.STREETS),
        "parks": list(towns.PARKS),
        "kinds": list(towns.STREET_KINDS),
        "nstreets": len(towns.STREETS),
        "forms": list(towns.COMPANY_FORMS),
        "words": list(towns.COMPANY_WORDS),
        "suffixes": list(towns.COMPANY_SUFFIXES),
        "surnames": list(towns.SURNAMES),
        "male": list(towns.MALE),
        "female": list(towns.FEMALE),
        "fathers": list(towns.FATHERS),
        "inspectors": list(towns.INSPECTORS),
        "as_of": as_of,
        "parcels": parcels,
    }
    steps = [
        ("towns, zones, rates, protected layers", gen.MUNICIPALITIES, False),
        ("parcel layout", gen.GEN_PARCEL, False),
        ("parcels", gen.PARCELS, True),
        ("buildings", gen.BUILDINGS, True),
        ("lessees", gen.LESSEES, False),
        ("contract plan", gen.GEN_CONTRACT, False),
        ("contracts", gen.CONTRACTS, True),
        ("payment schedules", gen.SCHEDULES, True),
        ("payments", gen.PAYMENTS, True),
        ("inspections", gen.INSPECTIONS, False),
    ]
    for label, script, split in steps:
        t = time.monotonic()
        for sql in _statements(script):
            params = {k: v for k, v in words.items() if f":{k}" in sql}
            if split:
                _in_halves(engine, sql, params)
            else:
                conn.execute(sa.text(sql), params)
        log(f"{label}: {time.monotonic() - t:.1f} s")
    _check_schedules(engine)


def _in_halves(engine: sa.Engine, sql: str, params: dict) -> None:
    """Run a statement split by `mod(id, :parts) = :part` on two connections at once,
    one per core: INSERT ... SELECT runs on one core only."""

    def run(part: int) -> None:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(sa.text("SELECT setseed(:s)"), {"s": SEED / (part + 2)})
            conn.execute(sa.text(sql), {**params, "parts": 2, "part": part})

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(run, (0, 1)))


def _check_schedules(engine: sa.Engine, sample: int = 300) -> None:
    """Rebuild the schedules of a sample of contracts with inventory.services.schedule
    (in a transaction rolled back) and fail the build if they differ from the bulk ones."""
    import sqlalchemy.orm as so

    from inventory.services import schedule

    query = sa.text(
        "SELECT contract_id, due_date, amount FROM scheduled_payment "
        "WHERE contract_id = ANY(CAST(:ids AS int[])) ORDER BY 1, 2"
    )
    with engine.connect() as conn:
        ids = list(
            conn.scalars(
                sa.text("SELECT id FROM lease_contract TABLESAMPLE SYSTEM (1) LIMIT :n"),
                {"n": sample},
            )
        )
        bulk = conn.execute(query, {"ids": ids}).all()
        with so.Session(bind=conn) as session:
            schedule.rebuild(session, ids)
            session.flush()
            app = session.execute(query, {"ids": ids}).all()
        conn.rollback()
    if bulk != app:
        raise RuntimeError(f"bulk payment schedules differ from the app's on contracts {ids}")
    log(f"payment schedules of {len(ids)} contracts match inventory.services.schedule")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parcels", type=int, default=1_000_000)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--rebuild", action="store_true", help="build it again even if complete")
    group.add_argument("--drop", action="store_true", help="drop the database and stop")
    args = parser.parse_args(argv)
    if args.drop:
        drop(args.parcels)
        log(f"dropped {database_name(args.parcels)}")
        return 0
    url = ensure(args.parcels, rebuild=args.rebuild)
    print(make_url(url).render_as_string(hide_password=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
