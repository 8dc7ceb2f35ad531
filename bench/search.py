"""Search by identification code and by address over the national set.

    .venv/bin/python bench/search.py [--parcels 1000000]

Queries are taken from random parcels of the database: a whole identification code, the
last two groups of a code (what a resident reads off a paper), a whole address, a
street with a house number without the street kind ("Манаса, 12"), and the same with a
letter missing (the search reads the misspelt word as the nearest address word). Each
is timed through the service (`inventory.services.public.search.search_parcels` on a
session) and through the public endpoint (`GET /search?q=`, the app served by gunicorn),
against the baseline of the one bare indexed lookup that finds the parcel (code `=`,
reversed-code prefix, address words; for the misspelt street, the trigram similarity of
the whole query that the search used before it had address words) on psycopg. Target:
median under 50 ms, for the misspelt street under 150 ms (it looks for the nearest word).
The note says how often the parcel a query came from, or one at its address, is among
the ten hits: the 40 towns share street names, so an address without
its town is often ambiguous.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import psycopg
import requests
import sqlalchemy as sa
import sqlalchemy.orm as so

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import Row, measure_each, ms, ratio, serve  # noqa: E402
from tiles import libpq  # noqa: E402

QUERIES = 40
TARGET = 0.050
#: The misspelt street searches the address words for the nearest one first.
MISSPELT_TARGET = 0.150


def sample_queries(
    conn: psycopg.Connection,
    count: int = QUERIES,
    seed: int = 11,
    addresses: dict[int, str] | None = None,
) -> tuple[dict[str, list[tuple[str, str, str]]], list[int]]:
    """Per kind of query, (query text, baseline SQL, baseline argument) drawn from random
    parcels, and those parcels' ids (the i-th query of each kind comes from the i-th).
    The baseline is the one bare indexed lookup that finds that parcel. `addresses`, when
    given, receives each of those parcels' address by id."""
    addresses = {} if addresses is None else addresses
    rng = random.Random(seed)
    top = conn.execute("SELECT max(id) FROM parcel").fetchone()[0]
    ids = [rng.randrange(1, top + 1) for _ in range(count)]
    found = conn.execute(
        "SELECT id, ident_code, address FROM parcel WHERE id = ANY(%s) AND address IS NOT NULL",
        (ids,),
    ).fetchall()
    rows = [(code, address) for _, code, address in found]
    addresses.update((parcel_id, address) for parcel_id, _, address in found)
    code = "SELECT id FROM parcel WHERE ident_code = %s"
    code_end = "SELECT id FROM parcel WHERE reverse(ident_code) LIKE reverse(%s) || '%%'"
    words = (
        "SELECT id FROM parcel WHERE to_tsvector('simple', coalesce(address, '')) "
        "@@ plainto_tsquery('simple', %s)"
    )
    similar = "SELECT id FROM parcel WHERE address %% %s"
    return {
        "whole code": [(c, code, c) for c, _ in rows],
        "end of a code": [
            (end, code_end, end) for c, _ in rows for end in ["-".join(c.split("-")[-2:])]
        ],
        "whole address": [(a, words, a) for _, a in rows],
        "street and number": [(a.split(" ", 1)[1], words, a.split(" ", 1)[1]) for _, a in rows],
        # A misspelt street (one letter dropped): found through the address words.
        "misspelt street and number": [
            (typo, similar, typo) for _, a in rows for typo in [_drop_letter(a.split(" ", 1)[1])]
        ],
    }, [parcel_id for parcel_id, _, _ in found]


def _drop_letter(text: str) -> str:
    """`Маматова, 395` -> `Мамтова, 395`: the fourth letter of the street left out."""
    return text[:3] + text[4:]


def run(url: str, parcels: int) -> list[Row]:
    from inventory.services.public.search import FUZZY_THRESHOLD, search_parcels

    engine = sa.create_engine(url, pool_size=1)
    rows: list[Row] = []
    try:
        with psycopg.connect(libpq(url), autocommit=True) as conn, so.Session(engine) as session:
            addresses: dict[int, str] = {}
            kinds, sources = sample_queries(conn, addresses=addresses)
            # How often the parcel a query was made from is among its ten hits, and how
            # often a parcel at its address is (the towns share street names, so
            # "Маматова, 39" is an address in several of them).
            recall = {}
            for kind, queries in kinds.items():
                hits = [search_parcels(session, q).hits for q, _, _ in queries]
                recall[kind] = (
                    sum(
                        source in {h.id for h in found}
                        for found, source in zip(hits, sources, strict=True)
                    ),
                    sum(
                        addresses[source] in {h.address for h in found}
                        for found, source in zip(hits, sources, strict=True)
                    ),
                )
            session.rollback()
            # The bare fuzzy lookup uses the service's similarity threshold.
            conn.execute(f"SET pg_trgm.similarity_threshold = {FUZZY_THRESHOLD}")
            service = {}
            bare = {}
            for kind, queries in kinds.items():
                service[kind] = measure_each(
                    [lambda q=q: search_parcels(session, q) for q, _, _ in queries]
                )
                session.rollback()
                bare[kind] = measure_each(
                    [lambda s=s, a=a: conn.execute(s, (a,)).fetchall() for _, s, a in queries]
                )
        with serve(url, workers=2) as base, requests.Session() as http:

            def get(q):
                def call():
                    answer = http.get(f"{base}/search", params={"q": q}, timeout=60)
                    answer.raise_for_status()

                return call

            endpoint = {
                kind: measure_each([get(q) for q, _, _ in queries])
                for kind, queries in kinds.items()
            }
    finally:
        engine.dispose()
    for kind in kinds:
        target = MISSPELT_TARGET if kind.startswith("misspelt") else TARGET
        for via, timing in (("service", service[kind]), ("GET /search", endpoint[kind])):
            rows.append(
                Row(
                    f"search by {kind} ({len(kinds[kind])} queries), {via}, median",
                    ms(timing.median),
                    f"bare indexed lookup {ms(bare[kind].median)}",
                    ratio(timing.median, bare[kind].median),
                    f"p95 {ms(timing.p95)}; among the hits: the parcel searched for "
                    f"{recall[kind][0]}, a parcel at its address {recall[kind][1]} "
                    f"of {len(kinds[kind])} times",
                    met=timing.median < target,
                    target=f"< {target * 1000:.0f} ms",
                )
            )
    return rows


if __name__ == "__main__":
    from common import main

    main("search", run, "Search benchmark")
