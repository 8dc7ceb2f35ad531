"""What the database itself guarantees, whatever code writes to it."""

import datetime as dt

import pytest
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from shapely.geometry import Polygon
from sqlalchemy.orm.exc import StaleDataError

from inventory import models as m
from inventory.services import audit
from inventory.services import geometry as geo
from tests import factories as f


def _fails(session, fn, match):
    with pytest.raises(sa_exc.IntegrityError, match=match):
        with session.begin_nested():
            fn()
            session.flush()


def test_geometry_must_be_in_epsg_4326(db_session):
    p = f.parcel(db_session)
    with pytest.raises(sa_exc.DBAPIError, match="SRID"):
        with db_session.begin_nested():
            db_session.execute(
                sa.text(
                    "UPDATE parcel SET geom = ST_Multi(ST_Transform(geom, 3857)) WHERE id = :id"
                ),
                {"id": p.id},
            )


def test_an_invalid_polygon_is_refused(db_session):
    bowtie = Polygon([(72.80, 40.50), (72.81, 40.51), (72.81, 40.50), (72.80, 40.51)])
    _fails(db_session, lambda: f.parcel(db_session, shape=bowtie), "geom_valid")


def test_identification_code_is_unique_per_municipality_only(db_session):
    osh = f.municipality(db_session, "osh")
    jalal = f.municipality(db_session, "jalal-abad", centre=(73.0, 40.93))
    f.parcel(db_session, osh, ident_code="5-08-01-0001-0001")
    f.parcel(db_session, jalal, ident_code="5-08-01-0001-0001")  # another city: allowed
    _fails(
        db_session,
        lambda: f.parcel(db_session, osh, ident_code="5-08-01-0001-0001"),
        "uq_parcel_ident_code",
    )


def test_contract_must_end_after_it_starts(db_session):
    _fails(
        db_session,
        lambda: f.contract(
            db_session, start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 1)
        ),
        "end_after_start",
    )


def test_contract_object_is_exactly_one_parcel_or_building(db_session):
    contract = f.contract(db_session)

    def both():
        db_session.add(m.ContractObject(contract=contract, parcel_id=None, building_id=None))

    _fails(db_session, both, "one_object")


def test_money_is_numeric_not_float(db_session):
    contract = f.contract(db_session, rent_amount="0.10")
    db_session.execute(
        sa.text("UPDATE lease_contract SET rent_amount = rent_amount + 0.20 WHERE id = :id"),
        {"id": contract.id},
    )
    total = db_session.scalar(
        sa.text("SELECT rent_amount FROM lease_contract WHERE id = :id"), {"id": contract.id}
    )
    assert str(total) == "0.30"


def test_legal_entity_inn_has_14_digits(db_session):
    _fails(db_session, lambda: f.lessee(db_session, inn="12345"), "inn_14_digits")


@pytest.mark.parametrize("lon, srid", [(72.80, 7693), (73.10, 7694)])
def test_measured_area_is_computed_in_the_kyrg06_zone_of_the_parcel(db_session, lon, srid):
    shape = f.square(lon, 40.93, metres=40)
    p = f.parcel(db_session, shape=shape)
    db_session.refresh(p)
    expected = geo.reproject(shape, 4326, srid).area
    assert float(p.measured_area) == pytest.approx(expected, abs=0.01)
    assert float(p.measured_area) == pytest.approx(1600, rel=0.01)
    # Degrees squared would be a tiny number; the check above rules that out.


def test_measured_area_follows_a_geometry_change(db_session):
    p = f.parcel(db_session, shape=f.square(metres=20))
    p.geom = geo.to_db(geo.as_multipolygon(f.square(metres=40)))
    db_session.flush()
    db_session.refresh(p)
    assert float(p.measured_area) == pytest.approx(1600, rel=0.01)


def test_history_records_every_change_with_who_and_before_after(db_session):
    user = m.User(username="officer1", password_hash="x", role=m.Role.ADMIN)
    db_session.add(user)
    db_session.flush()
    audit.set_actor(db_session, user.id, "ui")
    p = f.parcel(db_session, address="ул. Ленина, 1")
    p.address = "ул. Ленина, 2"
    db_session.flush()
    rows = (
        db_session.execute(
            sa.select(m.ChangeRecord)
            .where(m.ChangeRecord.table_name == "parcel", m.ChangeRecord.record_id == p.id)
            .order_by(m.ChangeRecord.id)
        )
        .scalars()
        .all()
    )
    assert [r.action for r in rows] == ["insert", "update"]
    assert rows[1].before["address"] == "ул. Ленина, 1"
    assert rows[1].after["address"] == "ул. Ленина, 2"
    assert {r.changed_by_id for r in rows} == {user.id}
    assert {r.source for r in rows} == {"ui"}
    # Geometry is kept in the history as GeoJSON, readable without PostGIS.
    assert rows[0].after["geom"]["type"] == "MultiPolygon"


def test_history_records_deletes(db_session):
    p = f.parcel(db_session, shape=None)
    pid = p.id
    db_session.delete(p)
    db_session.flush()
    actions = db_session.scalars(
        sa.select(m.ChangeRecord.action).where(
            m.ChangeRecord.table_name == "parcel", m.ChangeRecord.record_id == pid
        )
    ).all()
    assert actions == ["insert", "delete"]


def test_a_save_based_on_a_stale_version_is_refused(db_session, engine):
    p = f.parcel(db_session)
    # Another officer saved in between: the row's version moved on.
    db_session.execute(
        sa.text("UPDATE parcel SET version = version + 1 WHERE id = :id"), {"id": p.id}
    )
    p.address = "mine"
    with pytest.raises(StaleDataError):
        db_session.flush()


def test_every_model_table_has_a_history_trigger(db_session):
    triggers = set(
        db_session.scalars(
            sa.text(
                "SELECT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE '%_history_update'"
            )
        )
    )
    assert set(m.AUDITED_TABLES) <= triggers


def test_geometry_columns_have_gist_indexes(db_session):
    indexed = set(
        db_session.execute(
            sa.text("""
        SELECT t.relname || '.' || a.attname
          FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid JOIN pg_am am ON am.oid = i.relam
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(x.indkey)
         WHERE am.amname = 'gist'""")
        ).scalars()
    )
    for table in (
        "parcel.geom",
        "building.geom",
        "economic_zone.geom",
        "protected_area.geom",
        "municipality.boundary",
    ):
        assert table in indexed


def test_search_by_code_and_address_uses_trigram_indexes(db_session):
    names = set(
        db_session.scalars(
            sa.text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")
        )
    )
    assert {"ix_parcel_ident_code_trgm", "ix_parcel_address_trgm", "ix_lessee_name_trgm"} <= names


def test_factories_build_a_consistent_graph(db_session):
    contract = f.contract(db_session)
    parcel = contract.objects[0].parcel
    f.building(db_session, parcel)
    f.inspection(db_session, parcel, observed="catering")
    f.payment(db_session, contract)
    f.zone(db_session, parcel.municipality)
    assert parcel.buildings and contract.lessee.inn
