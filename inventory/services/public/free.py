"""Plots free to lease: the visible parcels free by status and under no active contract
(model.FREE_PARCEL), filtered and paginated."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.public.model import FREE_PARCEL, VISIBLE_PARCEL
from inventory.services.public.parcels import bbox_sql, localized

PER_PAGE = 20
#: The last page number looked at: a million pages of plots is more than any city has.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class FreeFilter:
    """What a resident asked for; None means "any". Areas are in m², bounds included."""

    municipality: str | None = None
    use: str | None = None
    min_area: Decimal | None = None
    max_area: Decimal | None = None
    page: int = 1


@dataclass(frozen=True)
class FreePlot:
    id: int
    ident_code: str
    address: str | None
    municipality: str
    municipality_name: str
    use_name: str | None
    #: The documented area when the papers give one, else the measured one.
    area: Decimal | None
    bbox: list[float] | None


@dataclass(frozen=True)
class FreePage:
    plots: list[FreePlot]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class UseChoice:
    code: str
    name: str


# One statement answers both the page and the total (count(*) OVER ()), so a page and the
# number of pages can never disagree. Every filter is a bound parameter: NULL means "any".
def _free_sql(language: str) -> sa.TextClause:
    return sa.text(f"""
        SELECT p.id, p.ident_code, p.address,
               m.slug AS municipality, {localized("m", language)} AS municipality_name,
               CASE WHEN u.id IS NOT NULL THEN {localized("u", language)} END AS use_name,
               coalesce(p.documented_area, p.measured_area) AS area,
               {bbox_sql("p.geom")} AS bbox,
               count(*) OVER () AS total
        FROM parcel p
        JOIN municipality m ON m.id = p.municipality_id
        LEFT JOIN land_use u ON u.id = p.designated_use_id
        WHERE {VISIBLE_PARCEL} AND {FREE_PARCEL}
          AND (CAST(:municipality AS text) IS NULL OR m.slug = :municipality)
          AND (CAST(:use AS text) IS NULL OR u.code = :use)
          AND (CAST(:min_area AS numeric) IS NULL
               OR coalesce(p.documented_area, p.measured_area) >= :min_area)
          AND (CAST(:max_area AS numeric) IS NULL
               OR coalesce(p.documented_area, p.measured_area) <= :max_area)
        ORDER BY m.id, p.ident_code
        LIMIT :limit OFFSET :offset
    """)


def free_plots(
    session: so.Session, wanted: FreeFilter, language: str, per_page: int | None = None
) -> FreePage:
    """One page of free plots matching `wanted`, ordered by municipality and code.

    A page number below 1 counts as 1, one above MAX_PAGE as MAX_PAGE; past the last
    page the list is empty and `total` is 0 (the window count sees no rows), which the
    page shows as "nothing found".
    """
    per_page = per_page or PER_PAGE
    # Beyond MAX_PAGE every page is empty anyway; the bound keeps the offset a bigint.
    page = min(max(wanted.page, 1), MAX_PAGE)
    rows = (
        session.execute(
            _free_sql(language),
            {
                "municipality": wanted.municipality,
                "use": wanted.use,
                "min_area": wanted.min_area,
                "max_area": wanted.max_area,
                "limit": per_page,
                "offset": (page - 1) * per_page,
            },
        )
        .mappings()
        .all()
    )
    total = int(rows[0]["total"]) if rows else 0
    return FreePage(
        plots=[
            FreePlot(
                id=r["id"],
                ident_code=r["ident_code"],
                address=r["address"],
                municipality=r["municipality"],
                municipality_name=r["municipality_name"],
                use_name=r["use_name"],
                area=r["area"],
                bbox=list(r["bbox"]) if r["bbox"] else None,
            )
            for r in rows
        ],
        total=total,
        page=page,
        pages=max(math.ceil(total / per_page), 1),
    )


def land_uses(session: so.Session, language: str) -> list[UseChoice]:
    """Every designated use, by name in `language`, for the filter's choices."""
    rows = session.execute(
        sa.text(f"SELECT u.code, {localized('u', language)} AS name FROM land_use u ORDER BY 2")
    )
    return [UseChoice(code=row.code, name=row.name) for row in rows]
