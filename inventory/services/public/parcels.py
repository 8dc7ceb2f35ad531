"""A parcel's public card: what a resident may know about one parcel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.anomalies.messages import describe
from inventory.services.privacy import PublicLessee, public_lessee
from inventory.services.public.model import ACTIVE_CONTRACT_LATERAL, PUBLIC_STATUS, VISIBLE_PARCEL

LANGUAGES = ("ky", "ru", "en")


@dataclass(frozen=True)
class PublicContract:
    """The current active contract, as far as it is public."""

    start_date: dt.date
    end_date: dt.date
    annual_rent: Decimal
    contracted_use: str | None
    lessee: PublicLessee


@dataclass(frozen=True)
class PublicZone:
    """The economic-planning zone the parcel lies in, with its rent coefficient Kz."""

    code: str
    name: str
    kz: Decimal
    #: True while Kz is a plausible demo value, not the council's figure.
    is_demo: bool


@dataclass(frozen=True)
class PublicFlag:
    """An anomaly an officer confirmed: the rule's code and its explanation."""

    rule: str
    severity: str
    message: str


@dataclass(frozen=True)
class PublicParcel:
    """A parcel's public facts; names of uses and municipality are in the asked language."""

    id: int
    ident_code: str
    address: str | None
    status: str
    municipality: str
    municipality_name: str
    designated_use: str | None
    designated_use_name: str | None
    documented_area: Decimal | None
    measured_area: Decimal | None
    #: [west, south, east, north] in degrees, for zooming to it; None without geometry.
    bbox: list[float] | None
    contract: PublicContract | None
    zone: PublicZone | None = None
    #: Anomalies an officer confirmed on the parcel or its contracts, newest first.
    flags: tuple[PublicFlag, ...] = ()


def localized(alias: str, language: str) -> str:
    """SQL for the `name_<language>` column of a three-language table, Russian as fallback."""
    if language not in LANGUAGES:
        language = "ru"
    return f"coalesce(nullif({alias}.name_{language}, ''), {alias}.name_ru)"


def bbox_sql(geom: str) -> str:
    """SQL for a geometry's bounding box as a 4-element float array (NULL geometry: NULL)."""
    return (
        f"CASE WHEN {geom} IS NOT NULL THEN ARRAY[ST_XMin({geom}), ST_YMin({geom}), "
        f"ST_XMax({geom}), ST_YMax({geom})]::float8[] END"
    )


#: `LEFT JOIN LATERAL ... z`: the zone in force today that holds the parcel. A point on the
#: parcel's surface decides, so a parcel touching a zone edge is not counted in both.
ZONE_LATERAL = """
LEFT JOIN LATERAL (
    SELECT ez.code, ez.name, ez.kz, ez.is_demo
    FROM economic_zone ez
    WHERE ez.municipality_id = p.municipality_id
      AND ez.valid_from <= current_date
      AND (ez.valid_to IS NULL OR ez.valid_to >= current_date)
      AND ST_Intersects(ez.geom, ST_PointOnSurface(p.geom))
    ORDER BY ez.valid_from DESC, ez.id
    LIMIT 1
) z ON true
"""


def public_parcel(session: so.Session, parcel_id: int, language: str) -> PublicParcel | None:
    """The public card of a parcel, or None if there is no such visible parcel.

    The lessee comes masked from SQL: a private individual's name and ИНН are never read.
    """
    row = (
        session.execute(
            sa.text(f"""
        SELECT p.id, p.ident_code, p.address, {PUBLIC_STATUS} AS status,
               p.documented_area, p.measured_area,
               m.slug AS municipality, {localized("m", language)} AS municipality_name,
               u.code AS designated_use, {localized("u", language)} AS designated_use_name,
               {bbox_sql("p.geom")} AS bbox,
               ac.id AS contract_id, ac.start_date, ac.end_date, ac.annual_rent,
               {localized("cu", language)} AS contracted_use,
               ac.lessee_kind, ac.lessee_name, ac.lessee_inn,
               z.code AS zone_code, z.name AS zone_name, z.kz, z.is_demo AS zone_is_demo
        FROM parcel p
        JOIN municipality m ON m.id = p.municipality_id
        LEFT JOIN land_use u ON u.id = p.designated_use_id
        {ACTIVE_CONTRACT_LATERAL}
        LEFT JOIN land_use cu ON cu.id = ac.contracted_use_id
        {ZONE_LATERAL}
        WHERE p.id = :id AND {VISIBLE_PARCEL}
    """),
            {"id": parcel_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    contract = None
    if row["contract_id"] is not None:
        contract = PublicContract(
            start_date=row["start_date"],
            end_date=row["end_date"],
            annual_rent=row["annual_rent"],
            contracted_use=row["contracted_use"],
            lessee=public_lessee(row["lessee_kind"], row["lessee_name"], row["lessee_inn"]),
        )
    return PublicParcel(
        id=row["id"],
        ident_code=row["ident_code"],
        address=row["address"],
        status=row["status"],
        municipality=row["municipality"],
        municipality_name=row["municipality_name"],
        designated_use=row["designated_use"],
        designated_use_name=row["designated_use_name"] if row["designated_use"] else None,
        documented_area=row["documented_area"],
        measured_area=row["measured_area"],
        bbox=list(row["bbox"]) if row["bbox"] else None,
        contract=contract,
        zone=None
        if row["zone_code"] is None
        else PublicZone(
            code=row["zone_code"], name=row["zone_name"], kz=row["kz"], is_demo=row["zone_is_demo"]
        ),
        flags=tuple(confirmed_flags(session, parcel_id)),
    )


# Only what an officer confirmed is public: an open flag is a machine's suspicion, and a
# dismissed one was judged wrong. A contract's flag counts when the contract covers the
# parcel, whatever the contract's status.
_FLAGS_SQL = sa.text("""
SELECT f.rule, f.severity::text AS severity, f.message, f.evidence
FROM anomaly_flag f
WHERE f.status = 'confirmed'
  AND (f.parcel_id = :id
       OR f.contract_id IN (SELECT co.contract_id FROM contract_object co
                            WHERE co.parcel_id = :id))
ORDER BY f.status_changed_at DESC NULLS LAST, f.id DESC
""")


def confirmed_flags(session: so.Session, parcel_id: int) -> list[PublicFlag]:
    """The confirmed anomaly flags of a parcel and of the contracts that lease it."""
    return [
        PublicFlag(
            rule=row.rule,
            severity=row.severity,
            message=describe(row.rule, row.evidence, row.message),
        )
        for row in session.execute(_FLAGS_SQL, {"id": parcel_id})
    ]
