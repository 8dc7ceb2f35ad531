"""Helpers of the public map's tests: tile coordinates and a leased parcel per lessee kind."""

from __future__ import annotations

import math

import pytest

from inventory import models as m
from tests import factories as f

#: A name that must never appear in any public output.
PRIVATE_NAME = "Асанов Бакыт Жумабекович"
COMPANY_NAME = "ОсОО «Ош Гүл Сервис»"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The z/x/y of the Web Mercator tile holding a point."""
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return z, x, y


def tile_path(parcel: m.Parcel, z: int = 16) -> str:
    from inventory.services import geometry as geo

    centre = geo.from_db(parcel.geom).centroid
    return "/tiles/parcels/{}/{}/{}.pbf".format(*tile_of(centre.x, centre.y, z))


@pytest.fixture()
def private_lease(db_session):
    """A parcel leased to a private individual (with phone, document, ИНН-less)."""
    person = f.lessee(
        db_session,
        kind=m.LesseeKind.INDIVIDUAL,
        name=PRIVATE_NAME,
        phone="+996 555 123 456",
        document="ID1234567",
    )
    parcel = f.parcel(db_session, status=m.ParcelStatus.LEASED, address="ул. Курманжан Датка, 7")
    f.contract(db_session, parcel, lessee=person)
    return parcel


@pytest.fixture()
def company_lease(db_session):
    """A parcel leased to a legal entity, whose name and ИНН are public."""
    company = f.lessee(db_session, name=COMPANY_NAME, inn="01234567890123")
    parcel = f.parcel(db_session, status=m.ParcelStatus.LEASED, address="ул. Ленина, 212")
    f.contract(
        db_session, parcel, lessee=company, rent_amount=10000, rent_period=m.RentPeriod.MONTH
    )
    return parcel


def flag(
    session,
    parcel=None,
    contract=None,
    status="confirmed",
    rule="misuse",
    message="Greening parcel used as a cafe",
):
    """An anomaly flag on a parcel or a contract, in the given workflow status."""
    target = parcel if parcel is not None else contract
    obj = m.AnomalyFlag(
        municipality_id=target.municipality_id,
        rule=rule,
        severity="critical",
        fingerprint=f"{rule}:{status}:{id(target)}:{message}",
        parcel_id=parcel.id if parcel is not None else None,
        contract_id=contract.id if contract is not None else None,
        message=message,
        evidence={},
        evidence_hash="0" * 64,
        status=status,
        reason="not a problem" if status == "dismissed" else None,
    )
    session.add(obj)
    session.flush()
    return obj
