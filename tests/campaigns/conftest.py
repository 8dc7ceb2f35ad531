"""Fixtures of the campaign and document tests: a city with active contracts, people to
review them, and Actors for the services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from inventory import models as m
from inventory.services.permissions import Actor
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def own_factory_numbers():
    """Number this test's factory records from 1, so parcels stay inside the city."""
    saved = f._seq
    f._seq = itertools.count(1)
    yield
    f._seq = saved


@pytest.fixture()
def actors(people):
    return {name: Actor.of(user) for name, user in people.items()}


@pytest.fixture()
def osh_contracts(db_session, osh):
    """Four active contracts of Osh (one of a private individual) and an expired one."""
    found = []
    for n in range(4):
        lessee = (
            f.lessee(db_session, osh, kind=m.LesseeKind.INDIVIDUAL, inn=None) if n == 3 else None
        )
        found.append(
            f.contract(
                db_session,
                number=f"ОШ-К-{n + 1}",
                rent_amount=Decimal(100000 + n * 1000),
                **({"lessee": lessee} if lessee else {}),
            )
        )
    f.contract(
        db_session,
        number="ОШ-К-old",
        status=m.ContractStatus.EXPIRED,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2019, 12, 31),
    )
    return found


def _sign_in(client, user) -> None:
    signed_in = getattr(f, "signed_in", None)  # the server-side session, where there is one
    if signed_in is not None:
        signed_in(client, user)
        return
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


@pytest.fixture()
def clients(app, people):
    """clients("admin", "officer_osh"): one test client signed in per user, signed in
    before the test writes anything."""

    def made(*names: str):
        found = []
        for name in names:
            client = app.test_client()
            _sign_in(client, people[name])
            found.append(client)
        return found

    return made
