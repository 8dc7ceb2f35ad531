"""Peak memory of the open-data exports of the parcels, against geopandas.

    .venv/bin/python bench/exports_memory.py --parcels 1000000     # the national set
    .venv/bin/python bench/exports_memory.py --database-url postgresql://...

Each export runs in a child process of its own, so its peak resident memory (the
kernel's `ru_maxrss` of that child, read with os.wait4) is the memory of that export
alone, interpreter and libraries included:

- the app's export (inventory.services.opendata.export.write, what `inventory opendata`
  runs) of the whole parcels layer as GeoJSON, GeoPackage and CSV;
- the /opendata download route serving the GeoJSON file just written, read to the end
  by a client in the same process;
- the baseline: geopandas.read_postgis of the same layer (same SQL, same fields) then
  GeoDataFrame.to_file in the same format, the usual way to dump a table with Python.

Target (issue 7): under 400 MB for each export whatever the number of parcels. The
figures are peak MB and seconds; the ratio is the baseline's peak over the export's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Row, format_table  # noqa: E402

#: Issue 7's ceiling for the peak resident memory of an export, in MB.
TARGET_MB = 400
FORMATS = ("geojson", "gpkg", "csv")
_DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG", "csv": "CSV"}


@dataclass(frozen=True)
class Measured:
    """One child process: peak resident memory (MB), wall time (s), what it printed."""

    peak_mb: float
    seconds: float
    rows: int
    size_mb: float


#: How long one measured export may take before it is stopped.
CHILD_DEADLINE_SECONDS = 1800
#: The end of a child's output read back: its last line is one small JSON object.
CHILD_OUTPUT_BYTES = 64 * 1024


def _child(args: list[str]) -> Measured:
    """Run this file as a child with `args`; its peak RSS from the kernel."""
    started = time.perf_counter()
    # The child writes to a file, not a pipe: nothing it prints can block it, and what
    # is read back afterwards is bounded.
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", *args], stdout=out, cwd=ROOT
        )
        # A child that hangs is killed at the deadline, which ends the wait.
        watchdog = threading.Timer(CHILD_DEADLINE_SECONDS, process.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        seconds = time.perf_counter() - started
        out.seek(max(0, out.seek(0, os.SEEK_END) - CHILD_OUTPUT_BYTES))
        output = out.read(CHILD_OUTPUT_BYTES)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"child {args} failed with exit status {process.returncode}")
    said = json.loads(output.decode().strip().splitlines()[-1])
    return Measured(
        peak_mb=usage.ru_maxrss / 1024,
        seconds=seconds,
        rows=said["rows"],
        size_mb=said["size"] / 2**20,
    )


# --- what the children do ------------------------------------------------------------------


def _export(url: str, fmt: str, path: Path) -> dict:
    import sqlalchemy.orm as so

    from inventory.database.session import make_engine
    from inventory.services.opendata import export
    from inventory.services.public.layers import LAYERS

    engine = make_engine(url)
    with so.Session(engine) as session:
        rows = export.write(session, LAYERS["parcels"], fmt, path)
    return {"rows": rows, "size": path.stat().st_size}


def _download(url: str, folder: Path, name: str) -> dict:
    """GET /opendata/files/<name> through the app, read to the end chunk by chunk."""
    from inventory.factory import create_app

    app = create_app(
        {
            "ENV": "test",
            "SQLALCHEMY_URL": url,
            "VAR_DIR": str(folder),
            "SECRET_KEY": "bench-" + "x" * 32,
        }
    )
    size = 0
    response = app.test_client().get(f"/opendata/files/{name}", buffered=False)
    assert response.status_code == 200, response.status_code
    for chunk in response.response:
        size += len(chunk)
    response.close()
    return {"rows": 0, "size": size}


def _geopandas(url: str, fmt: str, path: Path) -> dict:
    import geopandas as gpd
    import sqlalchemy as sa

    from inventory.services.public.layers import LAYERS

    layer = LAYERS["parcels"]
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        frame = gpd.read_postgis(
            sa.text(f"SELECT * FROM ({layer.sql}) AS f ORDER BY f.id"), conn, geom_col="geom"
        )
    options = {"GEOMETRY": "AS_WKT"} if fmt == "csv" else {}
    frame.to_file(path, driver=_DRIVERS[fmt], engine="pyogrio", **options)
    return {"rows": len(frame), "size": path.stat().st_size}


def child_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("export", "download", "geopandas"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--fmt", default="geojson")
    parser.add_argument("--path", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.what == "export":
        said = _export(args.url, args.fmt, args.path)
    elif args.what == "download":
        said = _download(args.url, args.path.parent.parent, args.path.name)
    else:
        said = _geopandas(args.url, args.fmt, args.path)
    print(json.dumps(said))


# --- the benchmark ---------------------------------------------------------------------------


def run(url: str, parcels: int, baseline: bool = True) -> list[Row]:
    """Export the parcels in each format in a child process; the same with geopandas."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as tmp:
        folder = Path(tmp) / "opendata"  # the app serves VAR_DIR/opendata
        folder.mkdir()
        # Warm-up: the database's caches and the file system, not measured.
        _child(["export", "--url", url, "--fmt", "csv", "--path", str(folder / "warm.csv")])
        for fmt in FORMATS:
            path = folder / f"parcels-all.{fmt}"
            app = _child(["export", "--url", url, "--fmt", fmt, "--path", str(path)])
            base = None
            if baseline:
                base_path = Path(tmp) / f"geopandas.{fmt}"
                base = _child(["geopandas", "--url", url, "--fmt", fmt, "--path", str(base_path)])
                base_path.unlink(missing_ok=True)
            rows.append(_row(f"export {fmt}, {app.rows:,} parcels: peak RSS", app, base))
            if fmt == "geojson":
                served = _child(["download", "--url", url, "--path", str(path)])
                rows.append(_row(f"GET /opendata/files/{path.name}: peak RSS", served, None))
            if fmt != "geojson":
                path.unlink()
    return rows


def _row(what: str, app: Measured, base: Measured | None) -> Row:
    note = f"{app.seconds:.1f} s, {app.size_mb:,.0f} MB file"
    if base is not None:
        note += f"; geopandas {base.seconds:.1f} s"
    return Row(
        what,
        f"{app.peak_mb:,.0f} MB",
        "" if base is None else f"{base.peak_mb:,.0f} MB (geopandas)",
        None if base is None else app.peak_mb / base.peak_mb,
        note,
        met=app.peak_mb < TARGET_MB,
        target=f"< {TARGET_MB} MB",
    )


def print_table(rows: list[Row]) -> None:
    print(format_table([(Path(__file__).stem, row) for row in rows]))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--parcels",
        type=int,
        default=1_000_000,
        help="scale of the national benchmark database (bench/national.py)",
    )
    parser.add_argument("--database-url", help="measure this database instead")
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip geopandas (it holds the whole layer in memory)",
    )
    args = parser.parse_args()
    url = args.database_url
    if url is None:
        from bench import national  # type: ignore[attr-defined]

        url = national.ensure(args.parcels)
    print_table(run(url, args.parcels, baseline=not args.no_baseline))
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
