"""Seeded random streams: the only source of randomness in the generator.

Every municipality (and every concern inside it) draws from its own stream derived from
the seed and a label, so adding a town or a planted case elsewhere does not shift the
numbers of the others, and towns can be generated in any order or in parallel.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import random


def stream(seed: int, *labels: str) -> random.Random:
    """A random.Random determined only by the seed and the labels."""
    text = ":".join([str(seed), *labels]).encode("utf-8")
    return random.Random(int.from_bytes(hashlib.sha256(text).digest()[:16], "big"))


def weighted_order(rng: random.Random, weights: list[float]) -> list[int]:
    """Indices in a random order where heavier items tend to come first
    (Efraimidis-Spirakis keys), so taking a prefix is weighted sampling without
    replacement."""
    keys = [(rng.random() ** (1.0 / w) if w > 0 else 0.0, -i) for i, w in enumerate(weights)]
    return [-i for _, i in sorted(keys, reverse=True)]


def pick(rng: random.Random, table: dict):
    """One key of `table`, with probability proportional to its value (dict order is
    the table's literal order, so this is deterministic)."""
    return choose(rng, list(table), list(table.values()))


def choose(rng: random.Random, items: list, weights: list):
    """One of `items` with probability proportional to `weights`."""
    cumulative = list(itertools.accumulate(weights))
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
