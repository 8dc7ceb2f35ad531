"""Auction lots in OCDS: each lot is a tender, its result an award, and the contract made
from it a contract of the same contracting process (one ocid from the announcement on).

The ocid of a lot is `<prefix><municipality>-lot-<lot id>`; the contract that follows
from the lot is published under it (inventory.services.opendata.ocds joins the lot to its
contract row with LOT_COLUMNS and LOT_JOIN). A lot with no contract (announced, no bids,
cancelled) is a release of its own (`lot_release`), tagged `tender` while announced and
`tenderUpdate` once closed. Only standard OCDS 1.1 fields are used: the starting rent is
the tender's value, the e-auction's date the end of its tender period, the platform's
reference and the protocol are documents.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

LOCAL_OFFSET = "+06:00"

#: Columns of the lot a contract was made from (NULL for other contracts); `c` is the
#: contract, joined by LOT_JOIN.
LOT_COLUMNS = """
       lot.id AS lot_id, lot.number AS lot_number, lot.starting_rent AS lot_starting_rent,
       lot.term_months AS lot_term_months, lot.conditions AS lot_conditions,
       lot.announced_on AS lot_announced_on, lot.auction_date AS lot_auction_date,
       lot.platform_ref AS lot_platform_ref, lot.status AS lot_status,
       lr.bidders AS lot_bidders, lr.protocol_number AS lot_protocol_number,
       lr.protocol_date AS lot_protocol_date, lr.protocol_url AS lot_protocol_url"""
LOT_JOIN = """
LEFT JOIN auction_result lr ON lr.contract_id = c.id
LEFT JOIN auction_lot lot ON lot.id = lr.lot_id"""

#: Published lots without a contract: announced, without bids, or cancelled.
LOTS_SQL = sa.text(f"""
SELECT lot.updated_at, lot.version, m.slug, m.name_ru AS municipality_name,
       u.code AS use_code, u.name_ru AS use_name, lot.leased_area,
       CASE WHEN lot.parcel_id IS NOT NULL THEN 'parcel' ELSE 'building' END AS object_kind,
       coalesce(lot.parcel_id, lot.building_id) AS object_id,
       coalesce(p.ident_code, b.inventory_number) AS object_code,
       coalesce(p.address, b.address) AS object_address, {LOT_COLUMNS}
  FROM auction_lot lot
  JOIN municipality m ON m.id = lot.municipality_id
  LEFT JOIN auction_result lr ON lr.lot_id = lot.id
  LEFT JOIN parcel p ON p.id = lot.parcel_id
  LEFT JOIN building b ON b.id = lot.building_id
  LEFT JOIN land_use u ON u.id = lot.use_id
 WHERE lot.archived_at IS NULL AND lr.contract_id IS NULL
 ORDER BY lot.id
""")

_TENDER_STATUS = {
    "announced": "active",
    "held": "complete",
    "no_bids": "unsuccessful",
    "cancelled": "cancelled",
}
_OBJECT_NAMES = {"parcel": "Земельный участок", "building": "Здание или помещение"}
METHOD_DETAILS = (
    "Электронный аукцион на право аренды (постановление Правительства №142 от 29.03.2019)"
)


def lot_ocid(prefix: str, slug: str, lot_id: int) -> str:
    return f"{prefix}{slug}-lot-{lot_id}"


def _day(day: dt.date | None, end: bool = False) -> str | None:
    if day is None:
        return None
    return f"{day.isoformat()}T{'23:59:59' if end else '00:00:00'}{LOCAL_OFFSET}"


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _web(url: str | None) -> bool:
    return bool(url) and url.startswith(("https://", "http://"))


def _money(amount: Decimal | float) -> dict[str, Any]:
    return {"amount": float(amount), "currency": "KGS"}


def lot_tender(row: Any, ocid: str, buyer: dict[str, Any]) -> dict[str, Any]:
    """The tender of the lot in `row` (LOT_COLUMNS), without items."""
    tender: dict[str, Any] = {
        "id": f"{ocid}-tender",
        "title": f"Лот № {row.lot_number}",
        "status": _TENDER_STATUS[row.lot_status],
        "procurementMethod": "open",
        "submissionMethod": ["electronicAuction"],
        "procurementMethodDetails": METHOD_DETAILS,
        "procuringEntity": buyer,
        "value": _money(row.lot_starting_rent),
        "tenderPeriod": {
            "startDate": _day(row.lot_announced_on),
            "endDate": _day(row.lot_auction_date, end=True),
        },
        "contractPeriod": {
            "durationInDays": (
                _months_later(row.lot_auction_date, row.lot_term_months) - row.lot_auction_date
            ).days
        },
    }
    if row.lot_conditions:
        tender["description"] = row.lot_conditions
    if row.lot_bidders is not None:
        tender["numberOfTenderers"] = row.lot_bidders
    if row.lot_platform_ref:
        notice: dict[str, Any] = {
            "id": f"{ocid}-notice",
            "documentType": "tenderNotice",
            "title": row.lot_platform_ref,
        }
        if _web(row.lot_platform_ref):
            notice["url"] = row.lot_platform_ref
        tender["documents"] = [notice]
    return tender


def award_documents(row: Any, ocid: str) -> list[dict[str, Any]]:
    """The auction's protocol, as the award's document (none without a protocol)."""
    if not row.lot_protocol_number:
        return []
    protocol: dict[str, Any] = {
        "id": f"{ocid}-protocol",
        "documentType": "awardNotice",
        "title": f"Протокол № {row.lot_protocol_number}",
    }
    if row.lot_protocol_date:
        protocol["datePublished"] = _day(row.lot_protocol_date)
    if _web(row.lot_protocol_url):
        protocol["url"] = row.lot_protocol_url
    return [protocol]


def lot_release(row: Any, prefix: str) -> dict[str, Any]:
    """The release of a lot with no contract (a row of LOTS_SQL)."""
    ocid = lot_ocid(prefix, row.slug, row.lot_id)
    buyer = {
        "id": f"KG-MUNICIPALITY-{row.slug}",
        "name": f"Управление муниципальной собственности: {row.municipality_name}",
    }
    tender = lot_tender(row, ocid, buyer)
    item: dict[str, Any] = {
        "id": f"{row.object_kind}-{row.object_id}",
        "description": " ".join(
            filter(None, (_OBJECT_NAMES[row.object_kind], row.object_code, row.object_address))
        ),
    }
    if row.use_code:
        item["classification"] = {
            "scheme": "KG-MUNICIPAL-LAND-USE",
            "id": row.use_code,
            "description": row.use_name,
        }
    if row.leased_area is not None:
        item["quantity"] = float(row.leased_area)
        item["unit"] = {"scheme": "UNCEFACT", "id": "MTK", "name": "квадратный метр"}
    tender["items"] = [item]
    documents = award_documents(row, ocid)
    if documents:
        tender["documents"] = tender.get("documents", []) + documents
    return {
        "ocid": ocid,
        "id": f"{ocid}-v{row.version}",
        "date": row.updated_at.isoformat(),
        "tag": ["tender"] if row.lot_status == "announced" else ["tenderUpdate"],
        "initiationType": "tender",
        "language": "ru",
        "parties": [{**buyer, "roles": ["buyer", "procuringEntity"]}],
        "buyer": buyer,
        "tender": tender,
    }
