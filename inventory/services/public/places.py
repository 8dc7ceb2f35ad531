"""The municipalities the public map can show, with the extent to open each at."""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Municipality
from inventory.services.public.model import VISIBLE_PARCEL
from inventory.services.public.parcels import bbox_sql, localized


@dataclass(frozen=True)
class Place:
    slug: str
    name: str
    #: [west, south, east, north] in degrees, or None when nothing of it is mapped yet.
    bbox: list[float] | None


def municipality_names(session: so.Session, language: str) -> dict[str, str]:
    """{slug: name in `language`} of every municipality, for pages that list records by
    municipality and must not show its slug."""
    return {m.slug: m.name(language) for m in session.scalars(sa.select(Municipality))}


def municipality_extents(session: so.Session, language: str) -> list[Place]:
    """Every municipality, in id order, with the extent of its mapped parcels.

    The parcels' extent, not the official boundary, so the map opens where there is
    something to see; the boundary stands in while no parcel has a geometry.
    """
    rows = session.execute(
        sa.text(f"""
        SELECT m.slug, {localized("m", language)} AS name,
               coalesce(
                   (SELECT {bbox_sql("ST_Extent(p.geom)::geometry")}
                    FROM parcel p WHERE p.municipality_id = m.id AND {VISIBLE_PARCEL}),
                   {bbox_sql("m.boundary")}) AS bbox
        FROM municipality m
        ORDER BY m.id
    """)
    ).mappings()
    return [
        Place(
            slug=row["slug"],
            name=row["name"],
            bbox=[round(v, 6) for v in row["bbox"]] if row["bbox"] else None,
        )
        for row in rows
    ]


def cached_municipality_extents(
    session: so.Session,
    language: str,
    cache: MutableMapping[str, tuple[float, list[Place]]],
    seconds: float,
) -> list[Place]:
    """`municipality_extents()`, kept in `cache` for `seconds` per language.

    The extent takes ST_Extent over every visible parcel (0.6 s at a million parcels) and
    the map page asks for it on every visit; a city's extent hardly moves in minutes, so
    a new parcel at the edge may wait that long to widen the opening view. 0: no cache.
    """
    if seconds <= 0:
        return municipality_extents(session, language)
    now = time.monotonic()
    kept = cache.get(language)
    if kept is not None and now - kept[0] < seconds:
        return kept[1]
    places = municipality_extents(session, language)
    cache[language] = (now, places)
    return places
