"""Import of a 100,000-parcel GeoPackage: the app's validated, historised import against
geopandas' to_postgis appending the same rows to the same parcel table.

    .venv/bin/python bench/import_speed.py --parcels 1000000    # file from the national set
    .venv/bin/python bench/import_speed.py --database-url postgresql://... --rows 100000

1. writes the file once (kept in var/bench/import/): the parcels of the source database
   as an officer's GeoPackage (municipality, ident_code, address, land_category,
   designated_use, status, documented_area, note, polygon), the first ROWS by id whose
   code matches their municipality's pattern (the national set plants malformed codes
   for the audit rule; an import refuses them, the whole file with them); when
   the source has fewer, copies of them with other codes, shifted a little east. The
   municipalities go to a GeoJSON beside it.
2. makes a throwaway database on the same server (migrated, reference tables) and
   imports the municipalities into it;
3. times, after a warm-up of each and interleaved (app, baseline, app, baseline, ...),
   ROUNDS runs of
   - the app: `inventory.services.imports.run_import(session, "parcels", file)` then
     commit, what `inventory import` and the import wizard run (every value parsed and
     checked, duplicate codes, references, geometry validity and placement, upsert);
   - the baseline, the least any loader must do to fill that table:
     `geopandas.read_file(file)`, the codes mapped to the ids the parcel table needs
     (municipality, land category, designated use: one pandas `map` each, from the
     reference tables read in the same timed run), invalid polygons moved to
     `geom_rejected` (the table's check refuses them in `geom`), then
     `to_postgis("parcel", if_exists="append")` (one COPY), so the same indexes,
     constraints and triggers fire (history, area, address words, tile cache,
     overlap queue);
   each into an empty parcel table (`TRUNCATE parcel CASCADE` before every run, untimed);
   and once each, for context: the same import again over the rows the app stored
   (nothing changes: every row is compared and left as it is) and as a dry run.
Targets (issue 7, as restated): the app's import at most 1.3 times the baseline's time,
and at least 10,000 parcels/s.
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

from bench.common import Row, format_table, percentile  # noqa: E402

ROWS = 100_000
ROUNDS = 3
TARGET_RATIO = 1.3
TARGET_RATE = 10_000  # parcels/s
CACHE = ROOT / "var" / "bench" / "import"

_PARCELS = r"""
WITH made AS (
    SELECT DISTINCT ON (p.municipality_id, c.code) p.*, k.k, c.code, m.code_pattern
    FROM (SELECT p.* FROM parcel p JOIN municipality m ON m.id = p.municipality_id
           WHERE p.archived_at IS NULL AND p.ident_code ~ m.code_pattern
           ORDER BY p.id LIMIT :rows) p
    JOIN municipality m ON m.id = p.municipality_id
    CROSS JOIN generate_series(0, :copies - 1) AS k(k)
    -- a copy's code: the last group of digits moved on, kept only where it still
    -- matches the pattern and no parcel of the source has it
    CROSS JOIN LATERAL (
        SELECT CASE WHEN k.k = 0 THEN p.ident_code
               ELSE regexp_replace(p.ident_code, '\d+$', lpad(
                   ((substring(p.ident_code FROM '(\d+)$')::int + 37 * k.k) % 10000)::text,
                   4, '0'))
               END AS code
    ) c
    ORDER BY p.municipality_id, c.code, k.k
)
SELECT m.slug AS municipality, p.code AS ident_code,
       p.address, lc.code AS land_category, u.code AS designated_use, p.status,
       p.documented_area::float8 AS documented_area, p.note,
       ST_AsBinary(ST_Translate(coalesce(p.geom, p.geom_rejected), p.k * 0.002, 0))
           AS geometry
FROM made p
JOIN municipality m ON m.id = p.municipality_id
LEFT JOIN land_category lc ON lc.id = p.land_category_id
LEFT JOIN land_use u ON u.id = p.designated_use_id
WHERE p.k = 0 OR (p.code ~ p.code_pattern AND NOT EXISTS (
    SELECT FROM parcel q WHERE q.municipality_id = p.municipality_id AND q.ident_code = p.code))
ORDER BY p.k, p.id
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
    folder = CACHE / f"{name}-{rows}-valid-codes"
    parcels, municipalities = folder / "parcels.gpkg", folder / "municipalities.geojson"
    if parcels.exists() and municipalities.exists():
        return parcels, municipalities
    folder.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(source_url)
    with engine.connect() as conn:
        have = conn.execute(
            sa.text(
                "SELECT count(*) FROM parcel p JOIN municipality m ON m.id = p.municipality_id "
                "WHERE p.archived_at IS NULL AND p.ident_code ~ m.code_pattern"
            )
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
            raise RuntimeError(f"the import failed: {report.errors[:5]}")
        session.commit()
    return report


def geopandas_import(engine: sa.Engine, path: Path) -> None:
    """The baseline: the file read by geopandas, its codes mapped to the parcel table's
    ids, invalid polygons set aside, and the rows appended with to_postgis."""
    import geopandas as gpd
    import shapely

    frame = gpd.read_file(path, engine="pyogrio")
    with engine.connect() as conn:
        ids = {
            table: dict(conn.execute(sa.text(f"SELECT {key}, id FROM {table}")).all())
            for table, key in (
                ("municipality", "slug"),
                ("land_category", "code"),
                ("land_use", "code"),
            )
        }
    for column, table, target in (
        ("municipality", "municipality", "municipality_id"),
        ("land_category", "land_category", "land_category_id"),
        ("designated_use", "land_use", "designated_use_id"),
    ):
        frame[target] = frame.pop(column).map(ids[table]).astype("Int64")
    frame = frame.rename_geometry("geom")
    polygons = frame.geometry.values
    invalid = ~shapely.is_valid(polygons) & ~shapely.is_missing(polygons)
    rejected = shapely.to_wkb(
        shapely.set_srid(polygons[invalid], 4326), hex=True, include_srid=True
    )
    frame["geom_rejected"] = None
    frame.loc[invalid, "geom_rejected"] = rejected
    frame.loc[invalid, "geom"] = None
    frame.to_postgis("parcel", engine, if_exists="append")


def empty_parcels(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE parcel CASCADE"))


def interleaved(
    actions: dict[str, Callable[[], object]], before: Callable[[], object], rounds: int = ROUNDS
) -> dict[str, list[float]]:
    """Seconds of `rounds` runs of each action, taken in turn (a, b, a, b, ...) after a
    warm-up of each, so load that comes and goes on the machine falls on both; `before`
    runs untimed before every run."""
    seconds: dict[str, list[float]] = {name: [] for name in actions}
    for turn in range(rounds + 1):
        for name, action in actions.items():
            before()
            started = time.perf_counter()
            action()
            took = time.perf_counter() - started
            if turn:
                seconds[name].append(took)
            label = "warm-up" if not turn else f"round {turn}"
            print(f"  {name} ({label}): {took:.1f} s", file=sys.stderr)
    return seconds


def _p95(values: list[float]) -> float:
    return percentile(values, 0.95)


def run(url: str, parcels: int, rows: int = ROWS, rounds: int = ROUNDS) -> list[Row]:
    import os

    from inventory.services.imports import run_import

    path, towns = write_files(url, rows)
    load = os.getloadavg()[0]
    with target_database(url) as target:
        engine = sa.create_engine(target)
        with so.Session(engine) as session:
            report = run_import(session, "municipalities", towns)
            assert report.ok, report.problems[:5]
            session.commit()
        seconds = interleaved(
            {
                "app": lambda: app_import(engine, path),
                "to_postgis": lambda: geopandas_import(engine, path),
            },
            lambda: empty_parcels(engine),
            rounds,
        )
        empty_parcels(engine)
        app_import(engine, path)
        started = time.perf_counter()
        again = app_import(engine, path)
        reimport = time.perf_counter() - started
        started = time.perf_counter()
        dry = app_import(engine, path, dry_run=True)
        dry_seconds = time.perf_counter() - started
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT count(*) FROM parcel")).scalar()
        engine.dispose()
    load = f"load average {load:.1f} → {os.getloadavg()[0]:.1f}"
    ours, theirs = seconds["app"], seconds["to_postgis"]
    median, base = statistics.median(ours), statistics.median(theirs)
    rate = rows / median
    size = path.stat().st_size / 2**20
    return [
        Row(
            f"import {rows:,}-parcel GeoPackage, validated and historised: median",
            f"{median:.1f} s",
            f"{base:.1f} s (to_postgis into parcel)",
            median / base,
            f"{size:.0f} MB file, {stored:,} parcels stored; {rounds} interleaved runs "
            f"after a warm-up; {load}",
            met=median <= TARGET_RATIO * base,
            target=f"≤ {TARGET_RATIO:g}x to_postgis with the same indexes and triggers",
        ),
        Row(
            "import: parcels per second",
            f"{rate:,.0f} /s",
            f"{rows / base:,.0f} /s (to_postgis)",
            None,
            met=rate >= TARGET_RATE,
            target=f"≥ {TARGET_RATE:,} parcels/s",
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
