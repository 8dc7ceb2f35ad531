"""The parcels in a map view, nearest its centre first: the public map's keyboard way in.

Vector tiles draw parcels a mouse can click but a keyboard cannot reach; the map lists the
visible parcels nearest the centre of the view as buttons that open the same card
(webmap/static/map.js). The list follows the map's filters and the tiles' rule for what is
drawn (a parcel's own status, as the tiles colour it), and names the lessee as the card
does: masked in SQL by inventory.services.privacy, so a private individual's name is
never read.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import ParcelStatus
from inventory.services.errors import ValidationError
from inventory.services.public.model import ACTIVE_CONTRACT_LATERAL, PUBLIC_STATUS, VISIBLE_PARCEL
from inventory.services.public.overlays import BBox, BBoxError, parse_bbox
from inventory.services.public.parcels import bbox_sql
from inventory.services.public.search import SearchHit
from inventory.services.terms import bounded

#: The most parcels one answer lists: a keyboard or screen-reader user reads them one by
#: one, and the rest of a busy view is a pan or a zoom away.
MAX_IN_VIEW = 50


#: A visible parcel of the view: its list entry says what a search hit says.
ParcelInView = SearchHit


@dataclass(frozen=True)
class InView:
    """The parcels nearest the view's centre, and whether the view holds more of them."""

    parcels: list[ParcelInView]
    more: bool


@dataclass(frozen=True)
class ViewFilters:
    """The map's filters: a municipality slug, a designated use code, statuses (None: all)."""

    municipality: str | None = None
    use: str | None = None
    statuses: tuple[str, ...] | None = None


def parse_view(text: str) -> BBox:
    """The view's `west,south,east,north` in degrees; a ValidationError naming `bbox`."""
    try:
        return parse_bbox(text or "")
    except BBoxError as exc:
        raise ValidationError(
            "give the view as west,south,east,north in degrees, west below east and"
            " south below north",
            field="bbox",
        ) from exc


def view_filters(municipality: str | None, use: str | None, status: str | None) -> ViewFilters:
    """The map's filters as a client sends them (`m`, `use`, `status=a,b`), bounded and
    checked: a ValidationError names the parameter at fault."""
    return ViewFilters(
        municipality=bounded(municipality, "m"),
        use=bounded(use, "use"),
        statuses=parse_statuses(bounded(status, "status")),
    )


def parse_statuses(text: str | None) -> tuple[str, ...] | None:
    """`free,leased` as a tuple of statuses (None for all); an unknown one is refused."""
    if text is None or not text.strip():
        return None
    statuses = tuple(s for s in (part.strip() for part in text.split(",")) if s)
    known = {s.value for s in ParcelStatus}
    unknown = [s for s in statuses if s not in known]
    if unknown:
        raise ValidationError(
            "unknown status %(value)s; known: %(known)s",
            field="status",
            value=unknown[0][:40],
            known=", ".join(sorted(known)),
        )
    return statuses


# The spatial index hands the parcels out nearest the centre first (`<->`, a KNN scan
# that stops at the limit), so a city-wide view costs what a street does. The order is
# by distance alone and the filters are tests on the parcel's own columns: a second sort
# key or a join there made PostgreSQL read every parcel of the view (200,000 in a
# national database at zoom 10) and sort them. The lessee is looked up for the page
# only, through the card's own lateral join.
_IN_VIEW_SQL = sa.text(f"""
WITH page AS (
    SELECT p.id, p.ident_code, p.address, p.status, p.municipality_id, p.geom
    FROM parcel p
    WHERE p.geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)
      AND ST_Intersects(p.geom, ST_MakeEnvelope(:west, :south, :east, :north, 4326))
      AND {VISIBLE_PARCEL}
      AND (CAST(:municipality AS text) IS NULL
           OR p.municipality_id IN (SELECT id FROM municipality WHERE slug = :municipality))
      AND (CAST(:use AS text) IS NULL
           OR p.designated_use_id IN (SELECT id FROM land_use WHERE code = :use))
      AND (CAST(:statuses AS text[]) IS NULL OR p.status::text = ANY(CAST(:statuses AS text[])))
    ORDER BY p.geom <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)
    LIMIT :limit
)
SELECT p.id, p.ident_code, p.address, {PUBLIC_STATUS} AS status, m.slug AS municipality,
       ac.id AS contract_id, ac.lessee_kind, ac.lessee_name, ac.lessee_inn,
       {bbox_sql("p.geom")} AS bbox,
       p.geom <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS distance
FROM page p
JOIN municipality m ON m.id = p.municipality_id
{ACTIVE_CONTRACT_LATERAL}
ORDER BY distance, p.id
""")


def parcels_in_view(
    session: so.Session, view: BBox, filters: ViewFilters = ViewFilters(), limit: int = MAX_IN_VIEW
) -> InView:
    """The visible parcels touching `view` that pass `filters`, nearest its centre first,
    at most `limit` (clamped to 1..MAX_IN_VIEW); `more` tells that the view holds others."""
    limit = min(max(limit, 1), MAX_IN_VIEW)
    rows = (
        session.execute(
            _IN_VIEW_SQL,
            {
                "west": view.west,
                "south": view.south,
                "east": view.east,
                "north": view.north,
                "lon": (view.west + view.east) / 2,
                "lat": (view.south + view.north) / 2,
                "municipality": filters.municipality or None,
                "use": filters.use or None,
                "statuses": list(filters.statuses) if filters.statuses is not None else None,
                "limit": limit + 1,
            },
        )
        .mappings()
        .all()
    )
    return InView(
        parcels=[ParcelInView.from_row(row) for row in rows[:limit]],
        more=len(rows) > limit,
    )
