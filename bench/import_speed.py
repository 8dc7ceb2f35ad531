"""Import of a 100,000-parcel GeoPackage: the app's validated import against
geopandas.GeoDataFrame.to_postgis of the same file.

    .venv/bin/python bench/import_speed.py --parcels 1000000    # file from the national set
    .venv/bin/python bench/import_speed.py --database-url postgresql://... --rows 100000

1. writes the file once (kept in var/bench/import/): the parcels of the source database
   as an officer's GeoPackage (municipality, ident_code, address, land_category,
   designated_use, status, documented_area, note, polygon), the first ROWS by id; when
   the source has fewer, copies of them with other codes, shifted a little east. The
   municipalities go to a GeoJSON beside it.
2. makes a throwaway database on the same server (migrated, reference tables) and
   imports the municipalities into it;
3. times, after a warm-up of each, ROUNDS runs of
   - the app: `inventory.services.imports.run_import(session, "parcels", file)` then
     commit, what `inventory import` and the import wizard run (every value parsed and
     checked, duplicate codes, references, geometry validity, upsert), into an empty
     parcel table;
   - the baseline: `geopandas.read_file(file).to_postgis(table)` into a bare table (no
     checks, no keys), replaced each time;
   and once each, for context: the same import as a dry run, and again over the rows
   already there (nothing changes: every row is compared and left as it is).
Target (issue 7): the app's import at least 3 times faster than to_postgis.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
import sqlalchemy.orm as so  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.common import Row, format_table  # noqa: E402

ROWS = 100_000
ROUNDS = 3
TARGET_RATIO = 3.0
CACHE = ROOT / "var" / "bench" / "import"

_PARCELS = """
SELECT m.slug AS municipality,
       CASE WHEN k.k = 0 THEN p.ident_code ELSE p.ident_code || '-' || (90 + k.k) END
           AS ident_code,
       p.address, lc.code AS land_category, u.code AS designated_use, p.status,
       p.documented_area::float8 AS documented_area, p.note,
       ST_AsBinary(ST_Translate(coalesce(p.geom, p.geom_rejected), k.k * 0.002, 0))
           AS geometry
FROM (SELECT * FROM parcel WHERE archived_at IS NULL ORDER BY id LIMIT :rows) p
CROSS JOIN generate_series(0, :copies - 1) AS k(k)
JOIN municipality m ON m.id = p.municipality_id
LEFT JOIN land_category lc ON lc.id = p.land_category_id
LEFT JOIN land_use u ON u.id = p.designated_use_id
ORDER BY k.k, p.id
LIMIT :rows
"""
_MUNICIPALITIES = """
SELECT slug, name_ky, name_ru, name_en, measure_srid, code_pattern,
       ST_AsBinary(boundary) AS geometry
FROM municipality ORDER BY slug
"""


def _frame(conn: sa.Connection, sql: str, **params):
    import geopandas as gpd
    import pandas as pd

    result = conn.execute(sa.text(sql), params)
    data = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    geometry = gpd.GeoSeries.from_wkb(
        data.pop("geometry").map(lambda v: None if v is None else bytes(v)), crs="EPSG:4326"
    )
    return gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")


def write_files(source_url: str, rows: int) -> tuple[Path, Path]:
    """The parcels file and the municipalities file from the source database (cached by
    the source database's name and the number of rows)."""
    name = make_url(source_url).database
    folder = CACHE / f"{name}-{rows}"
    parcels, municipalities = folder / "parcels.gpkg", folder / "municipalities.geojson"
    if parcels.exists() and municipalities.exists():
        return parcels, municipalities
    folder.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(source_url)
    with engine.connect() as conn:
        have = conn.execute(
            sa.text("SELECT count(*) FROM parcel WHERE archived_at IS NULL")
        ).scalar()
        frame = _frame(conn, _PARCELS, rows=rows, copies=-(-rows // max(have, 1)))
        towns = _frame(conn, _MUNICIPALITIES)
    engine.dispose()
    towns.to_file(municipalities, driver="GeoJSON", engine="pyogrio")
    partial = folder / ".part-parcels.gpkg"
    partial.unlink(missing_ok=True)
    frame.to_file(partial, driver="GPKG", layer="parcels", engine="pyogrio", promote_to_multi=True)
    partial.rename(parcels)
    return parcels, municipalities


def target_database(server_url: str):
    """A migrated database with the reference tables, dropped at the end."""
    from inventory.database.scratch import scratch_database

    return scratch_database(server_url, "inventory_bench_import_")


def app_import(engine: sa.Engine, path: Path, *, dry_run: bool = False):
    """The app's import of `path` as parcels, committed; its report."""
    from inventory.services.imports import run_import

    with so.Session(engine) as session:
        report = run_import(session, "parcels", path, dry_run=dry_run)
        if not report.ok:
            raise RuntimeError(f"the import failed: {report.problems[:5]}")
        session.commit()
    return report


def geopandas_import(engine: sa.Engine, path: Path) -> None:
    import geopandas as gpd

    frame = gpd.read_file(path, engine="pyogrio")
    frame.to_postgis("bench_to_postgis", engine, if_exists="replace")


def empty_parcels(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE parcel CASCADE"))


def timed(
    action: Callable[[], object], before: Callable[[], object] | None = None, rounds: int = ROUNDS
) -> list[float]:
    """Seconds of `rounds` runs of `action` after a warm-up; `before` runs untimed
    before each."""
    seconds = []
    for _ in range(rounds + 1):
        if before:
            before()
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
        print(f"  {getattr(action, '__name__', 'run')}: {seconds[-1]:.1f} s", file=sys.stderr)
    return seconds[1:]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def run(url: str, parcels: int, rows: int = ROWS, rounds: int = ROUNDS) -> list[Row]:
    from inventory.services.imports import run_import

    path, towns = write_files(url, rows)
    with target_database(url) as target:
        engine = sa.create_engine(target)
        with so.Session(engine) as session:
            report = run_import(session, "municipalities", towns)
            assert report.ok, report.problems[:5]
            session.commit()
        ours = timed(lambda: app_import(engine, path), lambda: empty_parcels(engine), rounds)
        theirs = timed(lambda: geopandas_import(engine, path), rounds=rounds)
        started = time.perf_counter()
        again = app_import(engine, path)
        reimport = time.perf_counter() - started
        started = time.perf_counter()
        dry = app_import(engine, path, dry_run=True)
        dry_seconds = time.perf_counter() - started
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT count(*) FROM parcel")).scalar()
        engine.dispose()
    median, base = statistics.median(ours), statistics.median(theirs)
    size = path.stat().st_size / 2**20
    return [
        Row(
            f"import {rows:,}-parcel GeoPackage, validated: median",
            f"{median:.1f} s",
            f"{base:.1f} s (to_postgis)",
            median / base,
            f"{size:.0f} MB file, {stored:,} parcels stored; {rows / median:,.0f} rows/s; "
            f"{rounds} runs after a warm-up",
            met=median * TARGET_RATIO <= base,
            target=f"≤ 1/{TARGET_RATIO:g} of to_postgis",
        ),
        Row(
            "import: p95",
            f"{_p95(ours):.1f} s",
            f"{_p95(theirs):.1f} s (to_postgis)",
            _p95(ours) / _p95(theirs),
        ),
        Row(
            "re-import of the same file (nothing changes)",
            f"{reimport:.1f} s",
            "",
            None,
            f"{again.unchanged:,} unchanged, {again.created} created, {again.updated} updated",
        ),
        Row(
            "dry run of the same file",
            f"{dry_seconds:.1f} s",
            "",
            None,
            f"{dry.unchanged:,} would be unchanged; nothing kept",
        ),
    ]


def print_table(rows: list[Row]) -> None:
    print(format_table([(Path(__file__).stem, row) for row in rows]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--parcels",
        type=int,
        default=1_000_000,
        help="scale of the national benchmark database the file is "
        "written from (bench/national.py)",
    )
    parser.add_argument("--database-url", help="write the file from this database instead")
    parser.add_argument("--rows", type=int, default=ROWS, help="parcels in the file")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    url = args.database_url
    if url is None:
        from bench import national  # type: ignore[attr-defined]

        url = national.ensure(args.parcels)
    print_table(run(url, args.parcels, rows=args.rows, rounds=args.rounds))


if __name__ == "__main__":
    main()
