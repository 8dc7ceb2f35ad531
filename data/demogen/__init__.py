"""demogen: the seeded, deterministic generator of the demo data (data/demo).

    from demogen import generate
    manifest = generate(Path("data/demo"))          # the demo: about 3,200 parcels
    generate(Path("/tmp/big"), parcels=1_000_000)   # benchmark scale (GeoPackage parcels)

The same seed and as_of always give byte-identical files. File formats and the rules of
the planted anomalies are those of data/README.md.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from pathlib import Path

from demogen import cities, reference
from demogen.profile import DEMO, SCALE, SCALE_FROM, for_run

__version__ = "1.0"
GENERATOR = f"demogen {__version__}"
DEFAULT_SEED = 20261101
DEFAULT_AS_OF = dt.date(2026, 11, 1)
EARLIEST_AS_OF = dt.date(2020, 6, 1)


def _town_rows(args) -> dict:
    """One municipality's file text (runs in a worker process when jobs > 1)."""
    from demogen import town
    from demogen.writers import render

    spec, ref, profile, seed, as_of, gpkg = args
    return render(town.rows(town.build(spec, ref, profile, seed, as_of), gpkg=gpkg))


def generate(
    out_dir: Path,
    seed: int = DEFAULT_SEED,
    as_of: dt.date = DEFAULT_AS_OF,
    parcels: int | None = None,
    *,
    jobs: int | None = None,
    reference_dir: Path | None = None,
    profile: str | None = None,
) -> dict:
    """Write the demo data into `out_dir` and return the manifest (also written there as
    manifest.json): seed, as_of, generator and the row count of every file.

    `parcels` None gives the demo (3,200 parcels in Osh, Jalal-Abad and Nookat); above
    50,000 parcels the run adds synthetic towns, writes parcels and buildings as
    GeoPackage and streams municipality by municipality. `jobs` > 1 generates
    municipalities in that many worker processes (default: one for the demo, up to four
    for scale runs); the files are the same whatever the number. `profile` ("demo" or
    "scale") overrides the proportions chosen by size, e.g. to check the benchmark's
    proportions on a small run.
    """
    from demogen.writers import Output

    if as_of < EARLIEST_AS_OF:
        raise ValueError(f"as_of must be {EARLIEST_AS_OF} or later (zones start in 2020)")
    ref = reference.load(reference_dir)
    profile = {"demo": DEMO, "scale": SCALE}[profile] if profile else for_run(parcels)
    gpkg = parcels is not None and parcels > SCALE_FROM
    specs = cities.plan(parcels, seed)
    if jobs is None:
        jobs = min(4, os.cpu_count() or 1) if gpkg else 1
    output = Output(Path(out_dir), gpkg)
    work = [(spec, ref, profile, seed, as_of, gpkg) for spec in specs]
    if jobs > 1 and len(work) > 1:
        import multiprocessing
        from collections import deque

        # At most jobs + 1 municipalities are in flight, so finished ones never pile up
        # in memory while the files are written in order.
        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            queue = iter(work)
            pending = deque(
                pool.apply_async(_town_rows, (item,)) for item in itertools.islice(queue, jobs + 1)
            )
            while pending:
                chunk = pending.popleft().get()
                following = next(queue, None)
                if following is not None:
                    pending.append(pool.apply_async(_town_rows, (following,)))
                output.add(chunk)
    else:
        for item in work:
            output.add(_town_rows(item))
    manifest = {
        "seed": seed,
        "as_of": as_of.isoformat(),
        "generator": GENERATOR,
        "counts": output.close(),
    }
    (Path(out_dir) / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return manifest
