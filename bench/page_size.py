"""The public map page does not grow with the inventory.

    .venv/bin/python bench/page_size.py [--parcels 1000000]

Fetches the HTML of `/` from the app served against a national database of 1,000
parcels (built with bench/national.py) and against the full one, and compares the sizes
(target: the same size; parcels arrive as vector tiles, never in the page). The page is
also timed at both sizes (median and p95 of 20 after a warm-up).
"""

from __future__ import annotations

import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, measure, ms, ratio, serve  # noqa: E402

SMALL = 1000
#: Bytes the page may differ by: numbers such as the opening view's box change width.
TOLERANCE = 0.02


def page(url: str) -> tuple[int, object]:
    """(size of the HTML of / in bytes, timing of GET /) for the app on `url`."""
    with serve(url, workers=1) as base, requests.Session() as http:

        def get():
            answer = http.get(base + "/", timeout=60, headers={"Accept-Language": "ru"})
            answer.raise_for_status()
            return answer.content

        size = len(get())
        return size, measure(get, warmup=2, repeat=20)


def run(url: str, parcels: int) -> list[Row]:
    import national

    small_size, small_time = page(national.ensure(SMALL))
    size, timing = page(url)
    share = ratio(size, small_size)
    return [
        Row(
            f"HTML of / with {parcels:,} parcels",
            f"{size:,} B",
            f"{small_size:,} B with {SMALL:,} parcels",
            share,
            f"{size - small_size:+,} B",
            met=abs((share or 0) - 1) <= TOLERANCE,
            target="same size (±2 %)",
        ),
        Row(
            f"GET / with {parcels:,} parcels, median",
            ms(timing.median),
            f"{ms(small_time.median)} with {SMALL:,} parcels",
            ratio(timing.median, small_time.median),
            f"p95 {ms(timing.p95)} vs {ms(small_time.p95)}",
        ),
    ]


if __name__ == "__main__":
    from common import main

    main("page_size", run, "Map page size benchmark")
