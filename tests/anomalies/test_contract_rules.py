"""Rules about contracts: dates, payments, rent, double leases, lost objects, protected
land. Each violating case has a near miss beside it that must stay clean."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from shapely.geometry import box

from inventory import models as m
from inventory.services import schedule
from tests import factories as f
from tests.anomalies.conftest import AS_OF, days, flags


def test_an_active_contract_past_its_end_is_flagged_but_one_ending_today_is_not(db_session):
    ended = f.contract(db_session, end_date=AS_OF - days(1))
    ends_today = f.contract(db_session, end_date=AS_OF)

    found = flags(db_session, "contract_expired_active")

    assert set(found) == {f"contract:{ended.id}"}
    evidence = found[f"contract:{ended.id}"].evidence
    assert evidence["end_date"] == str(AS_OF - days(1)) and evidence["days_past_end"] == 1
    assert f"contract:{ends_today.id}" not in found


def test_an_expired_contract_whose_parcel_is_still_occupied_is_flagged_with_the_inspection(
    db_session,
):
    parcel = f.parcel(db_session)
    old = f.contract(
        db_session,
        parcel,
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2024, 12, 31),
        status=m.ContractStatus.EXPIRED,
    )
    seen = f.inspection(
        db_session,
        parcel,
        observed="trade",
        inspected_on=dt.date(2025, 6, 3),
        inspector="Б. Айтматова",
    )

    found = flags(db_session, "contract_expired_active")

    evidence = found[f"contract:{old.id}"].evidence
    assert evidence["inspection"] == {
        "id": seen.id,
        "date": "2025-06-03",
        "inspector": "Б. Айтматова",
        "observed_use": "trade",
        "occupied": True,
    }


def test_an_expired_contract_is_not_flagged_once_a_later_contract_covers_the_occupant(db_session):
    parcel = f.parcel(db_session)
    f.contract(
        db_session,
        parcel,
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2024, 12, 31),
        status=m.ContractStatus.EXPIRED,
    )
    f.contract(db_session, parcel, start_date=dt.date(2025, 3, 1))
    f.inspection(db_session, parcel, observed="trade", inspected_on=dt.date(2025, 6, 3))

    assert flags(db_session, "contract_expired_active") == {}


def test_a_contract_ending_in_89_days_is_ending_soon_and_one_in_91_days_is_not(db_session):
    soon = f.contract(db_session, end_date=AS_OF + days(89))
    later = f.contract(db_session, end_date=AS_OF + days(91))

    found = flags(db_session, "contract_ending_soon")

    assert set(found) == {f"contract:{soon.id}"}
    assert found[f"contract:{soon.id}"].evidence["days_left"] == 89
    assert later.number not in found[f"contract:{soon.id}"].message


def test_a_contract_ending_soon_is_not_flagged_once_renewed(db_session):
    old = f.contract(db_session, end_date=AS_OF + days(30))
    f.contract(
        db_session,
        old.objects[0].parcel,
        start_date=AS_OF + days(31),
        end_date=AS_OF + days(800),
        status=m.ContractStatus.DRAFT,
        previous=old,
        relation=m.ContractRelation.RENEWAL,
    )

    assert flags(db_session, "contract_ending_soon") == {}


def _monthly_contract(session, paid: str) -> m.LeaseContract:
    """1,000 som a month from January 2026: nine instalments (Jan-Sep) are more than 30
    days overdue at AS_OF, 9,000 som."""
    contract = f.contract(
        session,
        start_date=dt.date(2026, 1, 1),
        rent_amount=Decimal("1000.00"),
        rent_period=m.RentPeriod.MONTH,
    )
    schedule.rebuild(session, [contract.id])
    f.payment(session, contract, paid_on=dt.date(2026, 9, 1), amount=Decimal(paid))
    return contract


def test_arrears_above_1000_som_are_flagged_with_what_is_owed(db_session):
    behind = _monthly_contract(db_session, "7999.99")

    found = flags(db_session, "arrears")

    evidence = found[f"contract:{behind.id}"].evidence
    assert evidence["instalments_due"] == 9
    assert Decimal(str(evidence["due_total"])) == Decimal("9000.00")
    assert Decimal(str(evidence["owed"])) == Decimal("1000.01")
    assert evidence["oldest_unpaid_due"] == "2026-08-10"
    assert "1000.01 som behind" in found[f"contract:{behind.id}"].message


def test_arrears_of_exactly_1000_som_are_not_flagged(db_session):
    _monthly_contract(db_session, "8000.00")

    assert flags(db_session, "arrears") == {}


def _rented_at(session, share: str) -> m.LeaseContract:
    """A trade lease of 100 m² where the norm is 100 m² x 100 x Kz 1.0 x Kf 2.0 = 20,000."""
    town = f.municipality(session)
    f.zone(session, town, kz=Decimal("1.0"))
    f.base_rate(session, town, rate=Decimal("100.00"))
    return f.contract(
        session,
        f.parcel(session, town),
        leased_area=Decimal("100"),
        rent_amount=Decimal("20000") * Decimal(share),
        rent_period=m.RentPeriod.YEAR,
    )


def test_rent_at_79_percent_of_the_norm_is_flagged_with_the_norm_and_its_factors(db_session):
    cheap = _rented_at(db_session, "0.79")

    found = flags(db_session, "rent_below_norm")

    evidence = found[f"contract:{cheap.id}"].evidence
    assert Decimal(str(evidence["norm"])) == Decimal("20000.00")
    assert Decimal(str(evidence["annual_rent"])) == Decimal("15800.00")
    assert evidence["percent_of_norm"] == 79.0
    assert evidence["parcels"][0]["kz"] == 1.0 and evidence["kf"] == 2.0


def test_rent_at_81_percent_of_the_norm_is_clean(db_session):
    _rented_at(db_session, "0.81")

    assert flags(db_session, "rent_below_norm") == {}


def test_a_monthly_rent_is_compared_as_twelve_months(db_session):
    contract = _rented_at(db_session, "0.07")  # 1,400 som a month = 16,800 a year (84 %)
    contract.rent_period = m.RentPeriod.MONTH
    db_session.flush()

    assert flags(db_session, "rent_below_norm") == {}


def test_two_active_contracts_on_one_parcel_at_once_are_a_double_lease(db_session):
    parcel = f.parcel(db_session)
    first = f.contract(db_session, parcel, start_date=dt.date(2024, 1, 1))
    second = f.contract(
        db_session, parcel, start_date=dt.date(2026, 3, 1), end_date=dt.date(2029, 2, 28)
    )

    found = flags(db_session, "double_lease")

    flag = found[f"contract:{first.id}|contract:{second.id}"]
    assert flag.evidence["objects"] == [{"kind": "parcel", "key": parcel.ident_code}]
    assert flag.evidence["overlap_from"] == "2026-03-01"


def test_consecutive_contracts_on_one_parcel_are_not_a_double_lease(db_session):
    parcel = f.parcel(db_session)
    f.contract(db_session, parcel, start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 12, 31))
    f.contract(db_session, parcel, start_date=dt.date(2026, 1, 1))

    assert flags(db_session, "double_lease") == {}


def test_a_contract_naming_no_object_is_flagged(db_session):
    lost = f.contract(db_session)
    lost.objects.clear()
    f.contract(db_session)
    db_session.flush()

    assert set(flags(db_session, "dq_contract_no_object")) == {f"contract:{lost.id}"}


def _park_overlapping(session, metres: float, use: str) -> m.LeaseContract:
    """A 30 m square lease whose east edge runs `metres` into a park (30 m tall strip)."""
    parcel = f.parcel(session, shape=f.square(metres=30))
    contract = f.contract(session, parcel, contracted_use=f.use(session, use))
    west, south, east, north = f.square(metres=30).bounds
    strip = (east - west) * metres / 30
    f.protected_area(
        session,
        shape=box(east - strip, south - 0.01, east + 0.01, north + 0.01),
        name="Парк им. Навои",
    )
    return contract


def test_a_kiosk_lease_reaching_5_m2_into_a_park_is_flagged(db_session):
    kiosk = _park_overlapping(db_session, 5 / 30, "trade")

    found = flags(db_session, "protected_layer_lease")

    overlap = found[f"contract:{kiosk.id}"].evidence["overlaps"][0]
    assert overlap["kind"] == "green_zone" and overlap["name"] == "Парк им. Навои"
    assert 4 < overlap["overlap_m2"] < 6


def test_half_a_square_metre_into_a_park_is_drawing_noise(db_session):
    _park_overlapping(db_session, 0.5 / 30, "trade")

    assert flags(db_session, "protected_layer_lease") == {}


def test_a_greening_lease_in_a_park_is_not_a_commercial_lease(db_session):
    _park_overlapping(db_session, 10, "greening")

    assert flags(db_session, "protected_layer_lease") == {}


def test_rules_read_thresholds_from_the_settings(db_session):
    contract = f.contract(db_session, end_date=AS_OF + days(100))

    assert flags(db_session, "contract_ending_soon") == {}
    found = flags(db_session, "contract_ending_soon", settings={"ANOMALY_ENDING_SOON_DAYS": "120"})
    assert set(found) == {f"contract:{contract.id}"}
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.AnomalyFlag)) == 1
