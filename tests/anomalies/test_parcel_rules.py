"""Rules about parcels: misuse, occupation, overlaps, areas and data quality. Each
violating case has a near miss beside it that must stay clean."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from shapely.geometry import box

from inventory import models as m
from tests import factories as f
from tests.anomalies.conftest import flags


def _greening_lease(session) -> tuple[m.Parcel, m.LeaseContract]:
    greening = f.use(session, "greening")
    parcel = f.parcel(session, designated_use=greening)
    return parcel, f.contract(session, parcel, contracted_use=greening)


def test_a_greening_parcel_seen_used_as_a_cafe_is_flagged_with_the_inspection_that_saw_it(
    db_session,
):
    parcel, contract = _greening_lease(db_session)
    seen = f.inspection(
        db_session,
        parcel,
        observed="catering",
        inspected_on=dt.date(2026, 6, 9),
        inspector="Ж. Токтосунова",
    )

    found = flags(db_session, "misuse")

    flag = found[f"parcel:{parcel.id}"]
    assert flag.contract_id == contract.id
    assert flag.evidence["designated_use"] == "greening"
    assert flag.evidence["observed_use"] == "catering"
    assert flag.evidence["contract"] == contract.number
    assert flag.evidence["inspection"]["id"] == seen.id
    assert flag.evidence["inspection"]["date"] == "2026-06-09"
    assert "catering" in flag.message and "Ж. Токтосунова" in flag.message


def test_a_greening_parcel_used_for_recreation_is_not_misuse(db_session):
    parcel, _ = _greening_lease(db_session)
    f.inspection(db_session, parcel, observed="recreation")

    assert flags(db_session, "misuse") == {}


def test_only_the_latest_inspection_counts_for_misuse(db_session):
    parcel, _ = _greening_lease(db_session)
    f.inspection(db_session, parcel, observed="catering", inspected_on=dt.date(2025, 6, 9))
    f.inspection(db_session, parcel, observed="greening", inspected_on=dt.date(2026, 6, 9))

    assert flags(db_session, "misuse") == {}


def test_a_use_allowed_on_the_parcel_but_not_on_the_contract_is_misuse(db_session):
    parcel = f.parcel(db_session, designated_use=f.use(db_session, "trade"))
    f.contract(db_session, parcel, contracted_use=f.use(db_session, "advertising"))
    f.inspection(db_session, parcel, observed="parking")

    flag = flags(db_session, "misuse")[f"parcel:{parcel.id}"]

    assert flag.evidence["allowed_on_designated_use"] is True
    assert flag.evidence["allowed_on_contracted_use"] is False


def test_a_parcel_seen_occupied_with_no_contract_ever_is_flagged(db_session):
    parcel = f.parcel(db_session, status=m.ParcelStatus.FREE)
    f.inspection(db_session, parcel, observed="trade", inspected_on=dt.date(2026, 5, 14))

    flag = flags(db_session, "occupied_without_contract")[f"parcel:{parcel.id}"]

    assert flag.evidence["inspection"]["date"] == "2026-05-14"


def test_occupation_under_a_started_contract_or_by_the_city_is_not_flagged(db_session):
    leased = f.parcel(db_session)
    f.contract(db_session, leased, start_date=dt.date(2026, 5, 14))
    f.inspection(db_session, leased, observed="trade", inspected_on=dt.date(2026, 5, 14))
    school = f.parcel(
        db_session, status=m.ParcelStatus.MUNICIPAL_USE, designated_use=f.use(db_session, "social")
    )
    f.inspection(db_session, school, observed="social")
    vacant = f.parcel(db_session, status=m.ParcelStatus.FREE)
    f.inspection(db_session, vacant, observed=None)

    assert flags(db_session, "occupied_without_contract") == {}


def _neighbours(session, overlap_m2: float) -> tuple[m.Parcel, m.Parcel]:
    """Two 30 m squares side by side, the second reaching overlap_m2 into the first."""
    west = f.square(metres=30)
    x0, y0, x1, y1 = west.bounds
    into = (x1 - x0) * overlap_m2 / 900  # a 30 m tall strip of overlap_m2
    east = box(x1 - into, y0, x1 + (x1 - x0) - into, y1)
    return f.parcel(session, shape=west), f.parcel(session, shape=east)


def test_parcels_overlapping_by_5_m2_are_flagged_with_the_overlap(db_session):
    a, b = _neighbours(db_session, 5)

    flag = flags(db_session, "parcel_overlap")[f"parcel:{a.id}|parcel:{b.id}"]

    assert 4.5 < flag.evidence["overlap_m2"] < 5.5
    assert {p["ident_code"] for p in flag.evidence["parcels"]} == {a.ident_code, b.ident_code}


def test_parcels_overlapping_by_half_a_square_metre_are_clean(db_session):
    _neighbours(db_session, 0.5)

    assert flags(db_session, "parcel_overlap") == {}


def _measured(session, parcel: m.Parcel) -> Decimal:
    return session.scalar(
        sa.select(sa.func.inventory_area_m2(m.Parcel.geom)).where(m.Parcel.id == parcel.id)
    )


def test_a_documented_area_11_percent_off_is_flagged_and_9_percent_is_not(db_session):
    off = f.parcel(db_session)
    close = f.parcel(db_session)
    off.documented_area = round(_measured(db_session, off) * Decimal("1.11"), 2)
    close.documented_area = round(_measured(db_session, close) * Decimal("0.91"), 2)
    db_session.flush()

    found = flags(db_session, "area_mismatch")

    assert set(found) == {f"parcel:{off.id}"}
    assert found[f"parcel:{off.id}"].evidence["difference_percent"] == 11.0


def test_a_parcel_east_of_73_01_is_measured_in_kyrg06_zone_3(db_session):
    east = f.parcel(db_session, shape=f.square(73.30, 40.93), documented_area=Decimal("1"))
    in_zone_3 = db_session.scalar(
        sa.select(
            sa.func.round(
                sa.cast(sa.func.ST_Area(sa.func.ST_Transform(m.Parcel.geom, 7694)), sa.Numeric), 2
            )
        ).where(m.Parcel.id == east.id)
    )

    evidence = flags(db_session, "area_mismatch")[f"parcel:{east.id}"].evidence

    assert evidence["measured_in"] == "EPSG:7694"
    assert Decimal(str(evidence["measured_m2"])) == in_zone_3


def test_a_parcel_without_a_polygon_is_flagged_but_one_with_a_rejected_polygon_is_not(db_session):
    missing = f.parcel(db_session, shape=False)
    rejected = f.parcel(db_session, shape=False, geom_problem="Self-intersection")
    db_session.execute(
        sa.text(
            "UPDATE parcel SET geom_rejected = ST_GeomFromText("
            "'POLYGON((72.8 40.5, 72.801 40.501, 72.801 40.5, 72.8 40.501, 72.8 40.5))', 4326)"
            " WHERE id = :id"
        ),
        {"id": rejected.id},
    )

    assert set(flags(db_session, "dq_no_geometry")) == {f"parcel:{missing.id}"}
    invalid = flags(db_session, "dq_invalid_geometry")
    assert set(invalid) == {f"parcel:{rejected.id}"}
    assert invalid[f"parcel:{rejected.id}"].evidence["problem"] == "Self-intersection"


def test_a_code_that_breaks_the_municipal_pattern_is_flagged(db_session):
    bad = f.parcel(db_session, ident_code="5-08-01-0001-O123")
    f.parcel(db_session, ident_code="5-08-01-0001-0123")

    found = flags(db_session, "dq_bad_code")

    assert set(found) == {f"parcel:{bad.id}"}
    assert found[f"parcel:{bad.id}"].evidence["pattern"] == r"^\d-\d{2}-\d{2}-\d{4}-\d{4}$"


def test_codes_equal_but_for_leading_zeros_and_spaces_are_duplicates(db_session):
    a = f.parcel(db_session, ident_code="5-08-01-0012-0003")
    b = f.parcel(db_session, ident_code="5-08-01-012-0003 ")
    f.parcel(db_session, ident_code="5-08-01-0012-0030")

    found = flags(db_session, "dq_duplicate_code")

    assert set(found) == {f"parcel:{a.id}|parcel:{b.id}"}
