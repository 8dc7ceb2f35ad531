"""The overlap store: a full scan recomputes the pairs of the parcels that moved since
the last scan and no others, and ends with the same pairs as a computation from scratch."""

from __future__ import annotations

import sqlalchemy as sa
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, box

from inventory import models as m
from inventory.services.anomalies import overlaps
from inventory.services.anomalies.rules import RULES
from inventory.services.anomalies.rules.base import bind_parameters, render
from tests import factories as f
from tests.anomalies.conftest import AS_OF, flags


def _side_by_side(session, lon: float) -> tuple[m.Parcel, m.Parcel, object]:
    """Two 30 m squares sharing an edge (no overlap), and a shape for the second that
    reaches 5 m² into the first."""
    west = f.square(lon=lon, metres=30)
    x0, y0, x1, y1 = west.bounds
    into = (x1 - x0) * 5 / 900
    onto = box(x1 - into, y0, x1 + (x1 - x0) - into, y1)
    a = f.parcel(session, shape=west)
    b = f.parcel(session, shape=box(x1, y0, x1 + (x1 - x0), y1))
    return a, b, onto


def _move(session, parcel: m.Parcel, shape) -> None:
    parcel.geom = from_shape(MultiPolygon([shape]), srid=m.SRID)
    session.flush()


def _stale(session) -> set[int]:
    return set(session.scalars(sa.select(m.ParcelOverlapStale.parcel_id)))


def _stored(session) -> set[tuple[int, int]]:
    return set(session.execute(sa.select(m.ParcelOverlap.a_id, m.ParcelOverlap.b_id)))


def test_new_parcels_wait_as_stale_until_a_full_scan_stores_their_pairs(db_session):
    a, b, _ = _side_by_side(db_session, 72.79)
    assert {a.id, b.id} <= _stale(db_session)

    flags(db_session, "parcel_overlap")

    assert _stale(db_session) == set()
    assert (a.id, b.id) not in _stored(db_session)  # they only share an edge


def test_a_parcel_moved_onto_its_neighbour_is_found_by_the_next_full_scan(db_session):
    a, b, onto = _side_by_side(db_session, 72.791)
    key = f"parcel:{a.id}|parcel:{b.id}"
    assert key not in flags(db_session, "parcel_overlap")

    _move(db_session, b, onto)
    assert _stale(db_session) == {b.id}
    flag = flags(db_session, "parcel_overlap")[key]
    assert 4.5 < flag.evidence["overlap_m2"] < 5.5

    _move(db_session, b, box(*onto.bounds).difference(f.square(lon=72.791, metres=30)))
    assert key not in flags(db_session, "parcel_overlap")
    closed = db_session.scalar(
        sa.select(m.AnomalyFlag).where(
            m.AnomalyFlag.rule == "parcel_overlap", m.AnomalyFlag.fingerprint == key
        )
    )
    assert closed.status == m.FlagStatus.RESOLVED


def test_archiving_an_overlapping_parcel_closes_the_flag_and_restoring_reopens_it(db_session):
    a, b, onto = _side_by_side(db_session, 72.792)
    _move(db_session, b, onto)
    key = f"parcel:{a.id}|parcel:{b.id}"
    assert key in flags(db_session, "parcel_overlap")

    b.archived_at = sa.func.now()
    db_session.flush()
    assert key not in flags(db_session, "parcel_overlap")
    assert not any(b.id in pair for pair in _stored(db_session))

    b.archived_at = None
    db_session.flush()
    assert key in flags(db_session, "parcel_overlap")


def test_an_edit_that_leaves_the_outline_alone_marks_nothing(db_session):
    a, _, _ = _side_by_side(db_session, 72.793)
    flags(db_session, "parcel_overlap")

    a.address = "ул. Курманжан Датка, 7"
    db_session.flush()

    assert _stale(db_session) == set()


def test_stored_pairs_after_edits_equal_a_computation_from_scratch(db_session):
    pairs = [_side_by_side(db_session, 72.794 + i * 0.001) for i in range(4)]
    flags(db_session, "parcel_overlap")
    for _, b, onto in pairs[:3]:
        _move(db_session, b, onto)
    a, b, onto = pairs[0]
    _move(db_session, a, f.square(lon=72.80, lat=40.52, metres=20))  # away again
    overlaps.refresh(db_session)

    rule = RULES["parcel_overlap"]
    params = bind_parameters(
        rule, as_of=AS_OF, municipality_id=None, parcel_ids=None, contract_ids=None, settings=None
    )
    stored = {
        (r.fingerprint, r.message) for r in db_session.execute(sa.text(rule.sql(False)), params)
    }
    scratch = {
        (r.fingerprint, r.message)
        for r in db_session.execute(sa.text(render(rule.query.text, False)), params)
    }
    assert stored == scratch
    assert {fp for fp, _ in stored} >= {f"parcel:{a.id}|parcel:{b.id}" for a, b, _ in pairs[1:3]}


def test_recomputing_every_pair_at_once_gives_the_same_pairs(db_session, monkeypatch):
    pairs = [_side_by_side(db_session, 72.80 + i * 0.001) for i in range(3)]
    for _, b, onto in pairs[:2]:
        _move(db_session, b, onto)
    overlaps.refresh(db_session)
    incremental = _stored(db_session)

    db_session.execute(
        sa.insert(m.ParcelOverlapStale).from_select(["parcel_id"], sa.select(m.Parcel.id))
    )
    monkeypatch.setattr(overlaps, "RECOMPUTE_ALL_FROM", 1)
    monkeypatch.setattr(overlaps, "RECOMPUTE_ALL_SHARE", 0.0)
    assert overlaps.refresh(db_session) == db_session.scalar(
        sa.select(sa.func.count()).select_from(m.Parcel)
    )

    assert _stored(db_session) == incremental
    assert {(a.id, b.id) for a, b, _ in pairs[:2]} <= incremental
    assert _stale(db_session) == set()
