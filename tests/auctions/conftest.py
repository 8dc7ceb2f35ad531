"""A free Osh parcel with a priced zone and base rate, so its normative rent is known."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import factories as f


@pytest.fixture()
def priced(db_session, osh):
    """Zone Kz 1.2 over Osh and a base rate of 100 som/m² for settlements."""
    f.zone(db_session, osh, kz=Decimal("1.2"))
    f.base_rate(db_session, osh, rate=Decimal("100.00"))
    return osh


@pytest.fixture()
def free_parcel(db_session, priced):
    """A free 900 m² trade parcel: norm 900 × 100 × 1.2 × Kf(trade)."""
    return f.parcel(db_session, priced, documented_area=Decimal("900"))


def lot_body(parcel, **kw):
    return {
        "number": kw.pop("number", "ЛОТ-1"),
        "parcel_id": parcel.id,
        "term_months": kw.pop("term_months", 60),
        "auction_date": kw.pop("auction_date", "2026-12-20"),
        "conditions": kw.pop("conditions", "Торговый павильон, не более 50 м²"),
        "platform_ref": kw.pop("platform_ref", "e-auction.gov.kg/lot/4411"),
        **kw,
    }
