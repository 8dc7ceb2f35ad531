"""A filter on the public status is estimated by the stored status, which the planner
knows from its statistics, so a filter matching most of a large layer is not counted
row by row: the public status is a CASE over the current lease that the planner takes
for 0.5 % of any table. And the page reads the current lease only of parcels stored as
free, one key lookup each, never a hash of every lease."""

from __future__ import annotations

import sqlalchemy as sa

from inventory import models as m
from inventory.services.ogc import features
from inventory.services.ogc.params import parse_items_query
from inventory.services.public.layers import LAYERS
from tests import factories as f

LEASED = "f.status = 'leased'"


def _parcels(session, leased: int, free: int) -> None:
    osh = f.municipality(session)
    for n in range(leased + free):
        f.parcel(session, osh, status=m.ParcelStatus.LEASED if n < leased else m.ParcelStatus.FREE)
    session.execute(sa.text("ANALYZE parcel"))


def test_the_planner_is_asked_about_the_stored_status(db_session):
    _parcels(db_session, leased=60, free=20)
    layer = LAYERS["parcels"]
    actual = features._count(db_session, layer.keys_sql, LEASED, {})
    assert actual == 60
    as_written = features._estimate(db_session, layer.keys_sql, LEASED, {})
    planned = features._estimate(db_session, layer.for_planning(layer.keys_sql), LEASED, {})
    assert as_written < actual / 5  # the CASE, misjudged
    assert abs(planned - actual) <= actual / 5


def test_a_status_filter_matching_more_than_the_limit_is_not_counted_exactly(
    db_session, monkeypatch
):
    _parcels(db_session, leased=60, free=20)
    monkeypatch.setattr(features, "EXACT_COUNT_LIMIT", 40)
    layer = LAYERS["parcels"]
    query = parse_items_query(layer, {"filter": "status='leased'", "limit": "10"})
    page = features.items(db_session, layer, query)
    assert page.returned == 10 and not page.matched_exact
    assert abs(page.matched - 60) <= 12
    free = parse_items_query(layer, {"filter": "status='free'", "limit": "10"})
    assert features.items(db_session, layer, free).matched_exact


def _many_leased(session, count: int) -> None:
    """`count` leased parcels, each under one contract's current lease, written in SQL
    (the factories would take a minute): side by side, 50 m apart."""
    osh = f.municipality(session)
    first = f.parcel(session, osh, status=m.ParcelStatus.LEASED, shape=f.square(72.70, 40.45))
    contract = f.contract(session, first)
    session.execute(
        sa.text(
            """
            INSERT INTO parcel (municipality_id, ident_code, address, land_category_id,
                                designated_use_id, status, geom)
            SELECT p.municipality_id, '5-08-07-' || lpad((n / 10000)::text, 4, '0') || '-'
                   || lpad((n % 10000)::text, 4, '0'), p.address, p.land_category_id,
                   p.designated_use_id, 'leased',
                   ST_Translate(p.geom, (n % 100) * 0.0006, (n / 100) * 0.0006)
            FROM parcel p, generate_series(1, :count) AS n
            WHERE p.id = :first
            """
        ),
        {"count": count, "first": first.id},
    )
    session.execute(
        sa.text(
            "INSERT INTO parcel_current_lease (parcel_id, contract_id) "
            "SELECT id, :contract FROM parcel WHERE ident_code LIKE '5-08-07-%' "
            "ON CONFLICT DO NOTHING"
        ),
        {"contract": contract.id},
    )
    session.execute(sa.text("ANALYZE parcel"))
    session.execute(sa.text("ANALYZE parcel_current_lease"))


def test_the_public_status_looks_up_the_lease_by_key_not_by_hash(db_session):
    """Over thousands of leases, EXISTS was planned as a hash of them all, built before
    the first row of any page."""
    _many_leased(db_session, 5000)
    layer = LAYERS["parcels"]
    plan = db_session.execute(
        sa.text(
            f"EXPLAIN (FORMAT TEXT) SELECT f.id FROM ({layer.keys_sql}) AS f "
            f"WHERE {LEASED} ORDER BY f.id LIMIT 1001"
        )
    ).scalars()
    text = "\n".join(plan)
    assert "parcel_current_lease" in text and "hashed SubPlan" not in text
