"""The demo data: loaded through the import pipeline, complete, and idempotent."""

import csv
import json

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import models as m
from inventory.services import demo, stats

pytestmark = pytest.mark.slow

MANIFEST = demo.DEMO_DIR / "manifest.json"


@pytest.fixture(scope="module")
def demo_database():
    """One committed database with the demo loaded, shared by this module's tests (loading
    takes a while; every test here only reads, or proves that loading again is a no-op)."""
    from inventory.database.session import make_engine
    from tests.conftest import throwaway_database

    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session, session.begin():
            reports = demo.load_demo(session, password="demo")
        yield engine, reports
        engine.dispose()


@pytest.fixture()
def db_session(demo_database):
    engine, _ = demo_database
    with engine.connect() as conn:
        transaction = conn.begin()
        session = so.Session(bind=conn, join_transaction_mode="create_savepoint")
        yield session
        session.close()
        transaction.rollback()


@pytest.fixture()
def loaded(demo_database):
    return demo_database[1]


def test_the_demo_holds_three_cities_with_the_promised_volumes(loaded, db_session):
    counts = stats.inventory_counts(db_session)
    assert set(counts["municipalities"]) >= {"osh", "jalal-abad", "nookat"}
    total = counts["total"]
    assert total["parcels"] >= 3000
    assert total["contracts"] >= 1500
    assert total["buildings"] > 0 and total["inspections"] > 0
    # Several years of payments: far more payments than contracts.
    assert total["payments"] > 10 * total["contracts"]
    kinds = set(db_session.scalars(sa.select(m.Lessee.kind).distinct()))
    assert kinds == set(m.LesseeKind)  # companies, entrepreneurs (ИП), private individuals


def test_every_file_row_is_in_the_database(loaded):
    manifest = json.loads(MANIFEST.read_text())
    by_kind = {r.kind: r for r in loaded}
    for kind, report in by_kind.items():
        assert report.created == report.rows, kind
    assert by_kind["parcels"].rows == manifest["counts"].get("parcels", by_kind["parcels"].rows)


def test_loading_the_demo_again_changes_nothing(loaded, db_session):
    history_before = db_session.scalar(sa.select(sa.func.count()).select_from(m.ChangeRecord))
    again = demo.load_demo(db_session, password=None)
    assert all(r.created == 0 and r.updated == 0 for r in again), [
        r.summary() for r in again if r.created or r.updated
    ]
    history_after = db_session.scalar(sa.select(sa.func.count()).select_from(m.ChangeRecord))
    assert history_after == history_before


def test_demo_users_have_their_roles_and_cities(loaded, db_session):
    users = {u.username: u for u in db_session.scalars(sa.select(m.User))}
    assert users["admin"].role == m.Role.ADMIN
    assert users["auditor"].role == m.Role.AUDITOR
    assert users["officer-osh"].municipality.slug == "osh"
    assert users["officer-jalalabad"].municipality.slug == "jalal-abad"


def test_parcels_east_of_73_01_are_measured_in_kyrg06_zone_3(loaded, db_session):
    rows = db_session.execute(
        sa.text("""
        SELECT measured_area,
               ST_Area(ST_Transform(geom, 7694)) AS zone3,
               ST_Area(ST_Transform(geom, 7693)) AS zone2
          FROM parcel WHERE geom IS NOT NULL AND ST_X(ST_PointOnSurface(geom)) > 73.02
         LIMIT 20""")
    ).all()
    assert rows, "the demo should have Jalal-Abad parcels east of 73°01'E"
    for measured, zone3, _zone2 in rows:
        assert float(measured) == pytest.approx(zone3, abs=0.01)


def test_every_planted_anomaly_names_a_record_that_exists(loaded, db_session):
    codes = set(db_session.scalars(sa.select(m.Parcel.ident_code)))
    numbers = set(db_session.scalars(sa.select(m.LeaseContract.number)))
    with (demo.DEMO_DIR / "planted.csv").open(encoding="utf-8") as handle:
        planted = list(csv.DictReader(handle))
    assert planted
    for row in planted:
        keys = row["object_key"].split("|")
        known = codes if row["object_kind"].startswith("parcel") else numbers
        assert set(keys) <= known, row


def test_the_demo_ships_auction_lots_announced_held_and_without_bids(loaded, db_session):
    lots = {lot.number: lot for lot in db_session.scalars(sa.select(m.AuctionLot))}
    statuses = {number: lot.status.value for number, lot in lots.items()}
    assert statuses == {
        "ОШ-ЛОТ-2026/01": "announced",
        "ОШ-ЛОТ-2026/02": "held",
        "ЖА-ЛОТ-2026/01": "no_bids",
        "НК-ЛОТ-2026/01": "announced",
    }
    held = lots["ОШ-ЛОТ-2026/02"]
    contract = held.result.contract
    assert contract.basis == m.ContractBasis.AUCTION and contract.status == m.ContractStatus.ACTIVE
    assert contract.rent_amount > held.starting_rent
    assert [o.building_id for o in contract.objects] == [held.building_id]
    assert lots["ЖА-ЛОТ-2026/01"].parcel.status == m.ParcelStatus.FREE
