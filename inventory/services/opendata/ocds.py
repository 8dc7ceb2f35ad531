"""Lease contracts as an OCDS 1.1 release package (Open Contracting Data Standard).

One release per published contract (drafts are not published): the property office is
the buyer and payee, the lessee the supplier and payer. An auction lease (Government
resolution №142 of 29.03.2019 on e-auctions) has a tender; every lease has an award
(OCDS contracts hang on awards) and a contract with its period, its value (the annual
rent in KGS) and its items (parcels and premises, with area and use). What OCDS lacks,
the rent as contracted per period, the leased area, the contracted use and the basis,
is in the `municipalLease` extension in `ocds_extension/` (documented there).

Lessees are masked twice: in SQL by inventory.services.privacy, and again in Python by
`public_lessee`, so a private individual is "Частное лицо" with no identifier at all, and
an individual entrepreneur its trade name with no ИНН.
The package is written as a stream of releases, so its size does not bound memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from babel.support import Translations

from inventory.services import localtime
from inventory.services.opendata import ocds_lots
from inventory.services.privacy import (
    public_lessee,
    public_lessee_inn_text,
    public_lessee_name_text,
)
from inventory.services.public.model import ANNUAL_RENT, PUBLIC_CONTRACT

EXTENSION_DIR = Path(__file__).parent / "ocds_extension"
#: The language of names and descriptions in the releases (the offices' registers).
LANGUAGE = "ru"
#: Kyrgyzstan's offset from UTC; contract days start and end in local time, and every
#: moment (a release's date, the package's) is written in Bishkek time too.
LOCAL_OFFSET = localtime.OFFSET
PUBLISHER = "Municipal property offices of Osh, Jalal-Abad and Nookat"

_CONTRACT_STATUS = {
    "active": "active",
    "expired": "terminated",
    "terminated": "terminated",
    "superseded": "terminated",
}
_OBJECT_NAMES = {"parcel": "Земельный участок", "building": "Здание или помещение"}

_RELEASES_SQL = sa.text(f"""
SELECT c.id, c.version, c.updated_at, m.slug, m.name_ru AS municipality_name, c.number,
       c.signed_on, c.start_date, c.end_date, c.status, c.basis, c.basis_ref,
       c.rent_amount, c.rent_period, c.leased_area, c.terminated_on,
       {ANNUAL_RENT} AS annual_rent,
       u.code AS use_code, u.name_ru AS use_name,
       l.kind AS lessee_kind, {public_lessee_name_text("l")} AS lessee_name,
       {public_lessee_inn_text("l")} AS lessee_inn, {ocds_lots.LOT_COLUMNS},
       (SELECT json_agg(json_build_object(
                   'kind', CASE WHEN co.parcel_id IS NOT NULL THEN 'parcel' ELSE 'building' END,
                   'id', coalesce(co.parcel_id, co.building_id),
                   'code', coalesce(p.ident_code, b.inventory_number),
                   'address', coalesce(p.address, b.address),
                   'area', coalesce(co.leased_area, p.measured_area, p.documented_area,
                                    b.floor_area),
                   'use_code', pu.code, 'use_name', pu.name_ru) ORDER BY co.id)
        FROM contract_object co
        LEFT JOIN parcel p ON p.id = co.parcel_id
        LEFT JOIN building b ON b.id = co.building_id
        LEFT JOIN land_use pu ON pu.id = p.designated_use_id
        WHERE co.contract_id = c.id) AS objects
FROM lease_contract c
JOIN municipality m ON m.id = c.municipality_id
JOIN lessee l ON l.id = c.lessee_id
LEFT JOIN land_use u ON u.id = c.contracted_use_id{ocds_lots.LOT_JOIN}
WHERE {PUBLIC_CONTRACT}
ORDER BY c.id
""")


def _translator(language: str = LANGUAGE) -> Callable[[str], str]:
    catalogue = Path(__file__).resolve().parents[2] / "translations"
    return Translations.load(str(catalogue), [language]).gettext


def _money(amount: Decimal | float) -> dict[str, Any]:
    return {"amount": float(amount), "currency": "KGS"}


def _day(day: dt.date | None, end: bool = False) -> str | None:
    if day is None:
        return None
    return f"{day.isoformat()}T{'23:59:59' if end else '00:00:00'}{LOCAL_OFFSET}"


def _items(row: Any) -> list[dict[str, Any]]:
    items = []
    for obj in row.objects or []:
        use_code = row.use_code or obj["use_code"]
        item: dict[str, Any] = {
            "id": f"{obj['kind']}-{obj['id']}",
            "description": " ".join(
                filter(None, (_OBJECT_NAMES[obj["kind"]], obj["code"], obj["address"]))
            ),
        }
        if use_code:
            item["classification"] = {
                "scheme": "KG-MUNICIPAL-LAND-USE",
                "id": use_code,
                "description": row.use_name or obj["use_name"],
            }
        if obj["area"] is not None:
            item["quantity"] = float(obj["area"])
            item["unit"] = {"scheme": "UNCEFACT", "id": "MTK", "name": "квадратный метр"}
        items.append(item)
    return items


def release(row: Any, prefix: str, translate: Callable[[str], str]) -> dict[str, Any]:
    """The OCDS release of one contract row of _RELEASES_SQL."""
    # A contract made from an auction lot continues the lot's contracting process.
    ocid = (
        ocds_lots.lot_ocid(prefix, row.slug, row.lot_id)
        if row.lot_id is not None
        else f"{prefix}{row.slug}-{row.id}"
    )
    buyer = {
        "id": f"KG-MUNICIPALITY-{row.slug}",
        "name": f"Управление муниципальной собственности: {row.municipality_name}",
    }
    lessee = public_lessee(row.lessee_kind, row.lessee_name, row.lessee_inn)
    if lessee.is_private or lessee.inn is None:
        # A natural person has no public identifier: an entrepreneur is its trade name.
        kind = "private-individual" if lessee.is_private else "entrepreneur"
        supplier: dict[str, Any] = {
            "id": f"{kind}-{row.id}",
            "name": lessee.display_name(translate),
        }
    else:
        supplier = {
            "id": f"KG-INN-{lessee.inn}",
            "name": lessee.name,
            "identifier": {"scheme": "KG-INN", "id": lessee.inn, "legalName": lessee.name},
        }
    auction = row.basis == "auction"
    supplier_roles = ["supplier", "payer"] + (["tenderer"] if auction else [])
    items = _items(row)
    value = _money(row.annual_rent)
    period = {"startDate": _day(row.start_date), "endDate": _day(row.end_date, end=True)}
    tags = (["tender"] if auction else []) + ["award", "contract"]
    if row.status == "terminated":
        tags.append("contractTermination")
    lease: dict[str, Any] = {
        "rentAmount": _money(row.rent_amount),
        "rentPeriod": row.rent_period,
        "basis": row.basis,
    }
    if row.leased_area is not None:
        lease["leasedArea"] = float(row.leased_area)
    if row.use_code:
        lease["contractedUse"] = {
            "scheme": "KG-MUNICIPAL-LAND-USE",
            "id": row.use_code,
            "description": row.use_name,
        }
    if row.basis_ref:
        lease["basisReference"] = row.basis_ref
    if row.terminated_on:
        lease["terminatedOn"] = row.terminated_on.isoformat()
    contract: dict[str, Any] = {
        "id": str(row.id),
        "awardID": f"{ocid}-award",
        "title": row.number,
        "status": _CONTRACT_STATUS.get(row.status, "active"),
        "period": period,
        "value": value,
        "municipalLease": lease,
    }
    if row.signed_on:
        contract["dateSigned"] = _day(row.signed_on)
    award: dict[str, Any] = {
        "id": f"{ocid}-award",
        "status": "active",
        "value": value,
        "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
        "contractPeriod": period,
    }
    if row.signed_on:
        award["date"] = _day(row.signed_on)
    if row.lot_id is not None and (documents := ocds_lots.award_documents(row, ocid)):
        award["documents"] = documents
    result: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-v{row.version}",
        "date": localtime.iso(row.updated_at),
        "tag": tags,
        "initiationType": "tender",
        "language": LANGUAGE,
        "parties": [
            {**buyer, "roles": ["buyer", "procuringEntity", "payee"]},
            {**supplier, "roles": supplier_roles},
        ],
        "buyer": buyer,
        "awards": [award],
        "contracts": [contract],
    }
    if row.lot_id is not None:
        result["tender"] = ocds_lots.lot_tender(row, ocid, buyer)
    elif auction:
        result["tender"] = {
            "id": f"{ocid}-tender",
            "title": row.basis_ref or row.number,
            "status": "complete",
            "procurementMethod": "open",
            "submissionMethod": ["electronicAuction"],
            "procurementMethodDetails": "Электронный аукцион на право аренды "
            "(постановление Правительства №142 от 29.03.2019)",
            "procuringEntity": buyer,
        }
    if items:
        # OCDS wants a list of items to hold at least one: a contract that names no
        # object (the data-quality check flags it) is published without.
        for stage in (contract, award, result.get("tender")):
            if stage is not None:
                stage["items"] = items
    return result


def package_chunks(
    session: so.Session,
    *,
    prefix: str,
    licence: str,
    uri: str,
    extension_url: str,
    published: dt.datetime,
) -> Iterator[str]:
    """The release package as a stream of text chunks (one per release)."""
    head = {
        "uri": uri,
        "version": "1.1",
        "publishedDate": localtime.iso(published),
        "publisher": {"name": PUBLISHER},
        "license": licence,
        "extensions": [extension_url],
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "releases": ['
    translate = _translator()
    result = session.execute(
        _RELEASES_SQL, execution_options={"stream_results": True, "yield_per": 1000}
    )
    first = True
    for row in result:
        yield ("" if first else ",\n") + json.dumps(
            release(row, prefix, translate), ensure_ascii=False
        )
        first = False
    # Lots with no contract yet (announced, no bids, cancelled): tenders of their own.
    for row in session.execute(ocds_lots.LOTS_SQL):
        yield ("" if first else ",\n") + json.dumps(
            ocds_lots.lot_release(row, prefix), ensure_ascii=False
        )
        first = False
    yield "]}\n"
