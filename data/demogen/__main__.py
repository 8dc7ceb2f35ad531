"""Command line: python -m demogen --out DIR [--seed N] [--as-of YYYY-MM-DD] [--parcels N]."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from demogen import DEFAULT_AS_OF, DEFAULT_SEED, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demogen",
        description="Generate the deterministic demo data (see data/README.md).",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=DEFAULT_AS_OF,
        help="the day the demo is 'today' for (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--parcels",
        type=int,
        default=None,
        help="total parcels (default: the demo's 3,200; above 50,000 "
        "synthetic towns are added and parcels go to GeoPackage)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes (same output; default 1 for the demo, "
        "up to 4 for runs above 50,000 parcels)",
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        manifest = generate(
            args.out, seed=args.seed, as_of=args.as_of, parcels=args.parcels, jobs=args.jobs
        )
    except ValueError as exc:
        parser.error(str(exc))
    counts = ", ".join(f"{name} {n:,}" for name, n in manifest["counts"].items())
    print(f"{args.out}: {counts} ({time.perf_counter() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
