"""Auctions as residents see them: lots announced, and the results of those held.

Public: every lot not archived nor cancelled, with its object, use, area, starting rent,
term, conditions, the e-auction's date and the platform's reference; for a held lot the
final rent and the winner, masked by inventory.services.privacy (a private individual is
never named). The map shows the announced lots as markers (`lots_geojson`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.privacy import public_lessee_name_text
from inventory.services.public.parcels import localized

#: The lots residents see (`a` is the lot alias).
PUBLIC_LOT = "a.archived_at IS NULL AND a.status <> 'cancelled'"


@dataclass(frozen=True)
class PublicLot:
    id: int
    number: str
    status: str
    municipality: str
    municipality_name: str
    object_kind: str
    parcel_id: int | None
    code: str
    address: str | None
    use_name: str | None
    area: Decimal | None
    starting_rent: Decimal
    term_months: int
    conditions: str | None
    announced_on: dt.date
    auction_date: dt.date
    platform_ref: str | None
    final_rent: Decimal | None
    #: The winner's public name; None for a private individual (shown as such) or no winner.
    winner_name: str | None
    winner_kind: str | None
    protocol_url: str | None
    lon: float | None
    lat: float | None
    updated_at: dt.datetime


def _lots_sql(language: str) -> str:
    return f"""
        SELECT a.id, a.number, a.status, m.slug AS municipality,
               {localized("m", language)} AS municipality_name,
               CASE WHEN a.parcel_id IS NOT NULL THEN 'parcel' ELSE 'building' END
                   AS object_kind,
               a.parcel_id, coalesce(p.ident_code, b.inventory_number) AS code,
               coalesce(p.address, b.address) AS address,
               CASE WHEN u.id IS NOT NULL THEN {localized("u", language)} END AS use_name,
               a.leased_area AS area, a.starting_rent, a.term_months, a.conditions,
               a.announced_on, a.auction_date, a.platform_ref,
               r.final_rent, {public_lessee_name_text("l")} AS winner_name,
               l.kind AS winner_kind, r.protocol_url,
               ST_X(pt.geom) AS lon, ST_Y(pt.geom) AS lat,
               greatest(a.updated_at, r.updated_at) AS updated_at
          FROM auction_lot a
          JOIN municipality m ON m.id = a.municipality_id
          LEFT JOIN parcel p ON p.id = a.parcel_id
          LEFT JOIN building b ON b.id = a.building_id
          LEFT JOIN parcel bp ON bp.id = b.parcel_id
          LEFT JOIN land_use u ON u.id = a.use_id
          LEFT JOIN auction_result r ON r.lot_id = a.id
          LEFT JOIN lessee l ON l.id = r.winner_id
          LEFT JOIN LATERAL (SELECT coalesce(p.surface_point, ST_PointOnSurface(b.geom),
                                             bp.surface_point) AS geom) pt ON true
         WHERE {PUBLIC_LOT}
           AND (CAST(:municipality AS text) IS NULL OR m.slug = :municipality)
    """


def public_lots(
    session: so.Session, language: str, municipality: str | None = None, limit: int = 500
) -> list[PublicLot]:
    """Public lots, the coming auctions first (soonest first), then the ones held
    (latest first)."""
    rows = session.execute(
        sa.text(
            _lots_sql(language)
            + """ ORDER BY a.status <> 'announced',
                   CASE WHEN a.status = 'announced' THEN a.auction_date END,
                   a.auction_date DESC, a.id DESC
                 LIMIT :limit"""
        ),
        {"municipality": municipality, "limit": limit},
    ).mappings()
    return [PublicLot(**row) for row in rows]


def lots_geojson(session: so.Session, language: str) -> str:
    """The announced lots as GeoJSON points, for the public map's marker layer."""
    features = [
        {
            "type": "Feature",
            "id": lot.id,
            "geometry": {"type": "Point", "coordinates": [lot.lon, lot.lat]},
            "properties": {
                "id": lot.id,
                "number": lot.number,
                "code": lot.code,
                "address": lot.address,
                "parcel_id": lot.parcel_id,
                "auction_date": lot.auction_date.isoformat(),
                "starting_rent": str(lot.starting_rent),
                "municipality": lot.municipality,
            },
        }
        for lot in public_lots(session, language)
        if lot.status == "announced" and lot.lon is not None
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
