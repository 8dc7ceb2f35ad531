"""`parcel_current_lease` (migration 0024) stays what the public model's lateral lookup
picks after every kind of contract and contract-object write, ORM or plain SQL, and the
parcel tiles that read it show the current lessee."""

from __future__ import annotations

import datetime as dt
import math

import mapbox_vector_tile
import sqlalchemy as sa

from inventory import models as m
from inventory.services.public import tiles
from inventory.services.public.model import ACTIVE_CONTRACT_LATERAL
from tests import factories as f

#: Every parcel whose kept current lease differs from the lateral lookup's.
_DISAGREE = sa.text(f"""
SELECT p.id, cl.contract_id AS kept, ac.id AS looked_up
  FROM parcel p
  LEFT JOIN parcel_current_lease cl ON cl.parcel_id = p.id
  {ACTIVE_CONTRACT_LATERAL}
 WHERE cl.contract_id IS DISTINCT FROM ac.id""")


def _kept(session, parcel_id: int) -> int | None:
    return session.scalar(
        sa.text("SELECT contract_id FROM parcel_current_lease WHERE parcel_id = :p"),
        {"p": parcel_id},
    )


def _agrees(session) -> None:
    session.flush()
    assert session.execute(_DISAGREE).all() == []


def _set(session, contract_id: int, assignments: str) -> None:
    session.execute(
        sa.text(f"UPDATE lease_contract SET {assignments} WHERE id = :id"), {"id": contract_id}
    )


def test_a_new_active_contract_becomes_the_parcels_current_lease(db_session, osh):
    parcel = f.parcel(db_session, osh)
    draft = f.contract(db_session, parcel, status=m.ContractStatus.DRAFT)
    _agrees(db_session)
    assert _kept(db_session, parcel.id) is None
    active = f.contract(db_session, parcel)
    _agrees(db_session)
    assert _kept(db_session, parcel.id) == active.id
    _set(db_session, draft.id, "status = 'active', start_date = '2025-06-01'")
    _agrees(db_session)
    assert _kept(db_session, parcel.id) == draft.id  # the later start wins


def test_the_current_lease_follows_contracts_leaving_force_and_start_dates(db_session, osh):
    parcel = f.parcel(db_session, osh)
    older = f.contract(db_session, parcel, start_date=dt.date(2023, 1, 1))
    newer = f.contract(db_session, parcel, start_date=dt.date(2024, 1, 1))
    assert _kept(db_session, parcel.id) == newer.id
    _set(db_session, older.id, "start_date = '2025-01-01'")
    _agrees(db_session)
    assert _kept(db_session, parcel.id) == older.id
    _set(db_session, older.id, "status = 'terminated', terminated_on = '2026-01-01'")
    _agrees(db_session)
    assert _kept(db_session, parcel.id) == newer.id
    _set(db_session, newer.id, "archived_at = now()")
    _agrees(db_session)
    assert _kept(db_session, parcel.id) is None
    _set(db_session, newer.id, "archived_at = NULL")
    assert _kept(db_session, parcel.id) == newer.id


def test_objects_moved_removed_or_deleted_with_their_contract(db_session, osh):
    first, second = f.parcel(db_session, osh), f.parcel(db_session, osh)
    contract = f.contract(db_session, first)
    other = f.contract(db_session, second, start_date=dt.date(2020, 1, 1))
    db_session.execute(
        sa.text("UPDATE contract_object SET parcel_id = :p WHERE contract_id = :c"),
        {"p": second.id, "c": contract.id},
    )
    _agrees(db_session)
    assert (_kept(db_session, first.id), _kept(db_session, second.id)) == (None, contract.id)
    db_session.expire_all()
    db_session.execute(sa.text("DELETE FROM lease_contract WHERE id = :c"), {"c": contract.id})
    _agrees(db_session)
    assert _kept(db_session, second.id) == other.id
    db_session.execute(
        sa.text("DELETE FROM contract_object WHERE contract_id = :c"), {"c": other.id}
    )
    _agrees(db_session)
    assert _kept(db_session, second.id) is None


def test_the_parcel_tile_shows_the_current_lessee(db_session, osh):
    parcel = f.parcel(db_session, osh)
    lessee = f.lessee(db_session, osh, name="ОсОО «Текущий»")
    f.contract(db_session, parcel, start_date=dt.date(2020, 1, 1))
    f.contract(db_session, parcel, lessee=lessee)
    db_session.flush()
    z = 17
    lon, lat = db_session.execute(
        sa.text(
            "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM parcel "
            "WHERE id = :p) s"
        ),
        {"p": parcel.id},
    ).one()
    x = int((lon + 180) / 360 * 2**z)
    rad = math.radians(lat)
    y = int((1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * 2**z)
    layer = mapbox_vector_tile.decode(tiles.parcel_tile(db_session, z, x, y))[tiles.LAYER]
    shown = {feature["properties"]["id"]: feature["properties"] for feature in layer["features"]}
    assert shown[parcel.id]["lessee"] == "ОсОО «Текущий»"
    assert shown[parcel.id]["lessee_kind"] == "legal_entity"
