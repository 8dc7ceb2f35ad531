"""Factories for model objects with plausible defaults; tests override what matters."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import shapely
import sqlalchemy as sa
import sqlalchemy.orm as so
from shapely.geometry import box

from inventory import models as m
from inventory.services import geometry as geo

_seq = itertools.count(1)

#: Centre of Osh, for geometry that lands inside the city.
OSH = (72.80, 40.53)
JALAL_ABAD = (73.00, 40.933)


def square(lon: float = OSH[0], lat: float = OSH[1], metres: float = 30.0):
    """A square of about `metres` per side around (lon, lat), in EPSG:4326."""
    dlat = metres / 111_320 / 2
    dlon = metres / (111_320 * 0.76) / 2
    return box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def use(session: so.Session, code: str) -> m.LandUse:
    return session.scalar(sa.select(m.LandUse).where(m.LandUse.code == code))


def category(session: so.Session, code: str = "settlements") -> m.LandCategory:
    return session.scalar(sa.select(m.LandCategory).where(m.LandCategory.code == code))


def municipality(session: so.Session, slug: str = "osh", **kw) -> m.Municipality:
    found = session.scalar(sa.select(m.Municipality).where(m.Municipality.slug == slug))
    if found:
        return found
    lon, lat = kw.pop("centre", OSH)
    obj = m.Municipality(
        slug=slug,
        name_ky=kw.pop("name_ky", slug.title()),
        name_ru=kw.pop("name_ru", slug.title()),
        name_en=kw.pop("name_en", slug.title()),
        boundary=geo.to_db(geo.as_multipolygon(box(lon - 0.1, lat - 0.06, lon + 0.1, lat + 0.06))),
        code_pattern=kw.pop("code_pattern", r"^\d-\d{2}-\d{2}-\d{4}-\d{4}$"),
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def parcel(
    session: so.Session, municipality_obj: m.Municipality | None = None, shape=None, **kw
) -> m.Parcel:
    municipality_obj = municipality_obj or municipality(session)
    n = next(_seq)
    # A grid of lots about 100 m apart that stays well inside the factory municipality
    # (and its zone), however many parcels a test run makes.
    shape = (
        shape
        if shape is not None
        else square(OSH[0] + (n % 80) * 0.001, OSH[1] + (n // 80 % 50) * 0.001)
    )
    obj = m.Parcel(
        municipality=municipality_obj,
        ident_code=kw.pop("ident_code", f"5-08-01-{n // 10000:04d}-{n % 10000:04d}"),
        address=kw.pop("address", f"ул. Ленина, {n}"),
        land_category=kw.pop("land_category", category(session)),
        designated_use=kw.pop("designated_use", use(session, "trade")),
        geom=geo.to_db(geo.as_multipolygon(shape)) if shape else None,
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def lessee(session: so.Session, municipality_obj: m.Municipality | None = None, **kw) -> m.Lessee:
    n = next(_seq)
    kind = kw.pop("kind", m.LesseeKind.LEGAL_ENTITY)
    obj = m.Lessee(
        municipality=municipality_obj or municipality(session),
        kind=kind,
        name=kw.pop("name", f"ОсОО «Тест {n}»"),
        inn=kw.pop("inn", f"0{n:013d}" if kind == m.LesseeKind.LEGAL_ENTITY else None),
        external_key=kw.pop("external_key", f"L{n}"),
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def contract(session: so.Session, parcel_obj: m.Parcel | None = None, **kw) -> m.LeaseContract:
    n = next(_seq)
    parcel_obj = parcel_obj or parcel(session)
    obj = m.LeaseContract(
        municipality=parcel_obj.municipality,
        number=kw.pop("number", f"ОШ-2024-{n:04d}"),
        lessee=kw.pop("lessee", None) or lessee(session, parcel_obj.municipality),
        start_date=kw.pop("start_date", dt.date(2024, 1, 1)),
        end_date=kw.pop("end_date", dt.date(2028, 12, 31)),
        contracted_use=kw.pop("contracted_use", use(session, "trade")),
        rent_amount=kw.pop("rent_amount", Decimal("120000.00")),
        basis=kw.pop("basis", m.ContractBasis.AUCTION),
        status=kw.pop("status", m.ContractStatus.ACTIVE),
        **kw,
    )
    obj.objects.append(m.ContractObject(parcel=parcel_obj))
    session.add(obj)
    session.flush()
    return obj


def wkb_hex(shape) -> str:
    return shapely.to_wkb(shape, hex=True)


def zone(
    session: so.Session, municipality_obj: m.Municipality | None = None, shape=None, **kw
) -> m.EconomicZone:
    municipality_obj = municipality_obj or municipality(session)
    shape = shape if shape is not None else geo.from_db(municipality_obj.boundary)
    obj = m.EconomicZone(
        municipality=municipality_obj,
        code=kw.pop("code", "1"),
        name=kw.pop("name", "Центр"),
        kz=kw.pop("kz", Decimal("1.0")),
        valid_from=kw.pop("valid_from", dt.date(2020, 1, 1)),
        geom=geo.to_db(geo.as_multipolygon(shape)),
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def building(session: so.Session, parcel_obj: m.Parcel | None = None, **kw) -> m.Building:
    parcel_obj = parcel_obj or parcel(session)
    n = next(_seq)
    obj = m.Building(
        municipality=parcel_obj.municipality,
        parcel=parcel_obj,
        inventory_number=kw.pop("inventory_number", f"ИНВ-{n:05d}"),
        name=kw.pop("name", f"Здание {n}"),
        address=parcel_obj.address,
        floor_area=kw.pop("floor_area", Decimal("250.00")),
        floors=kw.pop("floors", 2),
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def inspection(
    session: so.Session, parcel_obj: m.Parcel | None = None, observed: str | None = "trade", **kw
) -> m.Inspection:
    parcel_obj = parcel_obj or parcel(session)
    obj = m.Inspection(
        municipality_id=parcel_obj.municipality_id,
        parcel=parcel_obj,
        inspected_on=kw.pop("inspected_on", dt.date(2026, 5, 14)),
        inspector=kw.pop("inspector", "А. Осмонов"),
        observed_use=use(session, observed) if observed else None,
        occupied=kw.pop("occupied", observed is not None),
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def payment(session: so.Session, contract_obj: m.LeaseContract, **kw) -> m.Payment:
    obj = m.Payment(
        contract=contract_obj,
        paid_on=kw.pop("paid_on", dt.date(2024, 2, 10)),
        amount=kw.pop("amount", Decimal("10000.00")),
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def user(
    session: so.Session, role: str = "officer", municipality_obj: m.Municipality | None = None, **kw
) -> m.User:
    """A user with the password `kw['password']` (default 'correct horse 42')."""
    from inventory.services.users import hash_password

    n = next(_seq)
    if role == "officer" and municipality_obj is None:
        municipality_obj = municipality(session)
    obj = m.User(
        username=kw.pop("username", f"{role}-{n}"),
        role=m.Role(role),
        municipality_id=municipality_obj.id if municipality_obj else None,
        password_hash=hash_password(kw.pop("password", "correct horse 42")),
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def base_rate(
    session: so.Session, municipality_obj: m.Municipality | None = None, **kw
) -> m.BaseRate:
    municipality_obj = municipality_obj or municipality(session)
    obj = m.BaseRate(
        municipality_id=municipality_obj.id,
        land_category_id=kw.pop("land_category", category(session)).id,
        rate=kw.pop("rate", Decimal("100.00")),
        valid_from=kw.pop("valid_from", dt.date(2020, 1, 1)),
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def protected_area(
    session: so.Session, municipality_obj: m.Municipality | None = None, shape=None, **kw
) -> m.ProtectedArea:
    """A protected layer polygon (a green zone unless `kind` says otherwise)."""
    municipality_obj = municipality_obj or municipality(session)
    n = next(_seq)
    obj = m.ProtectedArea(
        municipality_id=municipality_obj.id,
        kind=kw.pop("kind", m.ProtectedKind.GREEN_ZONE),
        name=kw.pop("name", f"Парк {n}"),
        geom=geo.to_db(geo.as_multipolygon(shape if shape is not None else square(metres=100))),
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj


def signed_in(client, user: m.User):
    """The test client signed in as `user` the way the sign-in form does it: a server-side
    session (inventory.services.sessions) whose id the cookie carries beside Flask-Login's
    keys. A cookie with the keys alone signs nobody in."""
    from inventory.database.session import EXTENSION_KEY
    from inventory.services import sessions

    with client.application.extensions[EXTENSION_KEY].sessionmaker() as db:
        session_id = sessions.start(db, db.get(m.User, user.id))
        db.commit()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(user.id)
        cookie["_fresh"] = True
        cookie["sid"] = session_id
    return client
