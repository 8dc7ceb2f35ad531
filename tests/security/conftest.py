"""Fixtures of the security tests: two cities, one of every role, records in Osh."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import pytest

from inventory import models as m
from inventory.services import auth as auth_service
from tests import factories as f

#: Roles the route walk calls every route as, in the order reports list them.
ROLES = ("public", "auditor", "foreign_officer", "home_officer", "admin")
JALAL_ABAD = (73.00, 40.933)
PASSWORD = "correct horse 42"


@dataclass
class World:
    """What the walk needs: users and tokens by role, and ids of real Osh records."""

    users: dict[str, m.User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)


@pytest.fixture()
def world(db_session) -> World:
    """Osh with one record of every kind, Jalal-Abad, and one user of every role."""
    osh = f.municipality(db_session, "osh")
    jalalabad = f.municipality(db_session, "jalal-abad", centre=JALAL_ABAD)
    result = World()
    result.users = {
        "auditor": _user(db_session, "auditor", None),
        "foreign_officer": _user(db_session, "officer", jalalabad, "walk-ja"),
        "home_officer": _user(db_session, "officer", osh, "walk-osh"),
        "admin": _user(db_session, "admin", None),
    }
    for role, person in result.users.items():
        result.tokens[role], _ = auth_service.issue_token(db_session, person)
    parcel = f.parcel(db_session, osh)
    contract = f.contract(db_session, parcel)
    records = {
        "parcels": parcel,
        "buildings": f.building(db_session, parcel),
        "contracts": contract,
        "lessees": contract.lessee,
        "inspections": f.inspection(db_session, parcel),
        "payments": f.payment(db_session, contract),
        "reports": citizen_report(db_session, parcel),
        "lots": m.AuctionLot(
            municipality_id=osh.id,
            number="ЛОТ-1",
            parcel=f.parcel(db_session, osh),
            starting_rent=30000,
            term_months=36,
            auction_date=dt.date(2027, 1, 15),
        ),
    }
    db_session.add(records["lots"])
    db_session.flush()
    for kind, obj in records.items():
        # The database may have moved a version on (a contract in force leases its
        # parcel): the walk sends what a client loading the record now would send.
        db_session.refresh(obj)
        result.ids[kind] = obj.id
        result.versions[kind] = getattr(obj, "version", None)
    result.ids["users"] = result.users["home_officer"].id
    result.ids["municipalities"] = osh.id
    # A parcel still free, for the walk's new lot (the lot above holds its own).
    result.ids["free_parcel"] = f.parcel(db_session, osh).id
    return result


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # scrypt is slow on purpose; the walk needs four users per test, not four hashes.
    from inventory.services.users import hash_password

    return hash_password(PASSWORD)


def _user(
    db_session, role: str, municipality: m.Municipality | None, username: str | None = None
) -> m.User:
    user = m.User(
        username=username or f"walk-{role}",
        role=m.Role(role),
        municipality_id=municipality.id if municipality else None,
        password_hash=_password_hash(),
    )
    db_session.add(user)
    db_session.flush()
    return user


def citizen_report(db_session, parcel: m.Parcel) -> m.CitizenReport:
    """A published citizen report about `parcel` (no photo)."""
    report = m.CitizenReport(
        municipality_id=parcel.municipality_id,
        parcel_id=parcel.id,
        text="На участке для озеленения стоит кафе.",
        status=m.ReportStatus.PUBLISHED,
    )
    db_session.add(report)
    db_session.flush()
    return report
