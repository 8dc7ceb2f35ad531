"""A small public inventory for the open-data tests: a parcel leased to a private
individual (whose name and phone must never leak), one leased to a company with a
Cyrillic name, a free plot, a building and a zone."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from inventory import models as m
from tests import factories as f
from tests import live_server

PRIVATE_NAME = "Асанов Бакыт Жумабекович"
PRIVATE_PHONE = "+996 555 123 456"
PRIVATE_DOCUMENT = "ID1234567"
COMPANY_NAME = "ОсОО «Ош Гүл Сервис»"


@dataclass
class Inventory:
    private_parcel: m.Parcel
    company_parcel: m.Parcel
    free_parcel: m.Parcel
    private_contract: m.LeaseContract
    company_contract: m.LeaseContract


def make_inventory(session) -> Inventory:
    """The records above, flushed (committed by the caller when it needs to)."""
    person = f.lessee(
        session,
        kind=m.LesseeKind.INDIVIDUAL,
        name=PRIVATE_NAME,
        phone=PRIVATE_PHONE,
        document=PRIVATE_DOCUMENT,
        email="asanov@example.kg",
    )
    private_parcel = f.parcel(
        session, status=m.ParcelStatus.LEASED, address="ул. Курманжан Датка, 7"
    )
    private_contract = f.contract(
        session,
        private_parcel,
        lessee=person,
        basis=m.ContractBasis.DECISION,
        basis_ref="Решение №15",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2022, 12, 31),
        status=m.ContractStatus.EXPIRED,
    )
    company = f.lessee(session, name=COMPANY_NAME, inn="01234567890123")
    company_parcel = f.parcel(session, status=m.ParcelStatus.LEASED, address="ул. Ленина, 212")
    company_contract = f.contract(
        session,
        company_parcel,
        lessee=company,
        rent_amount=10000,
        rent_period=m.RentPeriod.MONTH,
        leased_area=900,
        signed_on=dt.date(2023, 12, 20),
        basis_ref="АУК-2023-17",
    )
    f.building(session, company_parcel, name="Дүкөн «Ала-Тоо»")
    free_parcel = f.parcel(session, status=m.ParcelStatus.FREE, address="ул. Масалиева, 1")
    f.zone(session, code="1", name="Борбор")
    return Inventory(
        private_parcel, company_parcel, free_parcel, private_contract, company_contract
    )


@pytest.fixture()
def inventory(db_session) -> Inventory:
    return make_inventory(db_session)


@contextlib.contextmanager
def serving(fill, tmp_path_factory) -> Iterator[str]:
    """The app over a database `fill(session)` filled, for clients that speak HTTP;
    yields the base URL."""
    with live_server.serving(
        fill, tmp_path_factory, request_handler=live_server.OneRequestPerConnection
    ) as served:
        yield served.base


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The app over make_inventory(), for clients that speak HTTP: OWSLib, GDAL,
    libcoveocds."""
    with serving(make_inventory, tmp_path_factory) as base:
        yield base
