"""`parcel_overview` (migration 0025): what the z10-z13 parcel tiles draw, kept by the
database whoever writes a parcel, so those tiles transform and simplify nothing."""

from __future__ import annotations

import datetime as dt

import mapbox_vector_tile
import sqlalchemy as sa
from shapely.geometry import box

from inventory import models as m
from inventory.services import geometry as geo
from inventory.services.public import tiles
from tests import factories as f
from tests.api.conftest import polygon
from tests.webmap.conftest import tile_of

#: A place in the factory town of Osh that the factory's own grid of parcels avoids.
LON, LAT = 72.74, 40.49


def _row(db_session, parcel: m.Parcel) -> m.ParcelOverview | None:
    db_session.expire_all()
    return db_session.get(m.ParcelOverview, parcel.id)


def _mercator_box(db_session, parcel: m.Parcel) -> tuple[float, ...]:
    return tuple(
        db_session.execute(
            sa.text(
                "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) "
                "FROM (SELECT ST_Transform(geom, 3857) AS b FROM parcel WHERE id = :id) t"
            ),
            {"id": parcel.id},
        ).one()
    )


def _box_of_row(db_session, parcel: m.Parcel) -> tuple[float, ...]:
    return tuple(
        db_session.execute(
            sa.text(
                "SELECT ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box) "
                "FROM parcel_overview WHERE parcel_id = :id"
            ),
            {"id": parcel.id},
        ).one()
    )


def _api_parcel(client, headers, shape) -> int:
    response = client.post(
        "/api/v1/parcels",
        headers=headers["officer_osh"],
        json={
            "municipality": "osh",
            "ident_code": "5-08-01-0777-0001",
            "address": "ул. Обзорная, 1",
            "designated_use": "trade",
            "documented_area": 900,
            "geometry": polygon(shape),
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_parcel_created_through_the_api_gets_its_overview_row(client, db_session, headers):
    parcel_id = _api_parcel(client, headers, f.square(LON, LAT, 300))
    parcel = db_session.get(m.Parcel, parcel_id)
    row = _row(db_session, parcel)
    assert row is not None
    assert (row.status, row.municipality_id) == ("free", parcel.municipality_id)
    assert row.designated_use_id == parcel.designated_use_id
    assert _box_of_row(db_session, parcel) == _mercator_box(db_session, parcel)


def test_the_row_follows_a_geometry_edit_through_the_api(client, db_session, headers):
    parcel_id = _api_parcel(client, headers, f.square(LON, LAT, 300))
    parcel = db_session.get(m.Parcel, parcel_id)
    before = _box_of_row(db_session, parcel)
    edited = client.patch(
        f"/api/v1/parcels/{parcel_id}",
        headers=headers["officer_osh"],
        json={"version": 1, "geometry": polygon(f.square(LON + 0.01, LAT, 300))},
    )
    assert edited.status_code == 200, edited.get_json()
    after = _box_of_row(db_session, parcel)
    assert after == _mercator_box(db_session, parcel)
    assert after[0] > before[0] + 800  # 0.01° east, about 1.1 km in Web Mercator


def test_an_archived_parcel_leaves_the_overview(client, db_session, headers):
    parcel_id = _api_parcel(client, headers, f.square(LON, LAT, 300))
    parcel = db_session.get(m.Parcel, parcel_id)
    assert _row(db_session, parcel) is not None
    archived = client.delete(f"/api/v1/parcels/{parcel_id}", headers=headers["officer_osh"])
    assert archived.status_code == 200
    assert _row(db_session, parcel) is None


def test_the_row_follows_a_status_change_and_an_unarchive(db_session):
    parcel = f.parcel(db_session, shape=f.square(LON, LAT, 300))
    parcel.status = m.ParcelStatus.DISPUTED
    db_session.flush()
    assert _row(db_session, parcel).status == "disputed"
    parcel.archived_at = dt.datetime.now(dt.UTC)
    db_session.flush()
    assert _row(db_session, parcel) is None
    parcel.archived_at = None
    db_session.flush()
    assert _row(db_session, parcel).status == "disputed"


def test_a_parcel_without_geometry_has_no_row_until_it_gets_one(db_session):
    parcel = f.parcel(db_session, shape=False)
    assert _row(db_session, parcel) is None
    parcel.geom = geo.to_db(geo.as_multipolygon(f.square(LON, LAT, 300)))
    db_session.flush()
    assert _row(db_session, parcel) is not None


def test_a_bulk_insert_and_update_keep_every_row(db_session):
    # One statement over many parcels, as an import writes: the statement triggers see
    # them all at once.
    parcels = [f.parcel(db_session, shape=False) for _ in range(3)]
    ids = [p.id for p in parcels]
    db_session.execute(
        sa.text(
            "UPDATE parcel SET geom = ST_Multi(ST_Expand(ST_SetSRID(ST_Point(:lon, :lat), "
            "4326), 0.001)) WHERE id = ANY(:ids)"
        ),
        {"lon": LON, "lat": LAT, "ids": ids},
    )
    kept = db_session.scalar(sa.select(sa.func.count()).where(m.ParcelOverview.parcel_id.in_(ids)))
    assert kept == 3


def test_a_deleted_parcel_takes_its_row_with_it(db_session):
    # No foreign key ties the row to its parcel (migration 0026): a statement trigger
    # removes it, for one parcel or many in one statement.
    parcels = [f.parcel(db_session) for _ in range(3)]
    ids = [p.id for p in parcels]
    assert all(_row(db_session, p) is not None for p in parcels)
    db_session.execute(sa.text("DELETE FROM parcel WHERE id = ANY(:ids)"), {"ids": ids[:2]})
    left = db_session.scalars(
        sa.select(m.ParcelOverview.parcel_id).where(m.ParcelOverview.parcel_id.in_(ids))
    ).all()
    assert left == [ids[2]]


def test_no_row_outlives_its_parcel(db_session):
    # Whatever wrote them, the rows are exactly those of visible parcels with a shape.
    f.parcel(db_session)
    archived = f.parcel(db_session)
    archived.archived_at = dt.datetime.now(dt.UTC)
    db_session.flush()
    stray = db_session.scalar(
        sa.text(
            "SELECT count(*) FROM parcel_overview v LEFT JOIN parcel p ON p.id = v.parcel_id "
            "WHERE p.id IS NULL OR p.archived_at IS NOT NULL OR p.geom IS NULL"
        )
    )
    assert stray == 0


def _feature_height(client, lon: float, lat: float, z: int, parcel_id: int) -> int:
    response = client.get("/tiles/parcels/{}/{}/{}.pbf".format(*tile_of(lon, lat, z)))
    assert response.status_code == 200
    for feature in mapbox_vector_tile.decode(response.data)["parcels"]["features"]:
        if feature["properties"]["id"] == parcel_id:
            coordinates = feature["geometry"]["coordinates"]
            rings = coordinates if feature["geometry"]["type"] == "Polygon" else coordinates[0]
            ys = [y for _, y in rings[0]]
            return max(ys) - min(ys)
    raise AssertionError(f"parcel {parcel_id} is not on the tile")


def test_a_z11_tile_draws_a_shape_edited_through_the_api(client, db_session, headers):
    parcel_id = _api_parcel(client, headers, f.square(LON, LAT, 600))
    z = tiles.MIN_ZOOM + 1
    square_height = _feature_height(client, LON, LAT, z, parcel_id)
    taller = box(LON - 0.0035, LAT - 0.0054, LON + 0.0035, LAT + 0.0054)  # about 600 x 1200 m
    edited = client.patch(
        f"/api/v1/parcels/{parcel_id}",
        headers=headers["officer_osh"],
        json={"version": 1, "geometry": polygon(taller)},
    )
    assert edited.status_code == 200, edited.get_json()
    taller_height = _feature_height(client, LON, LAT, z, parcel_id)
    assert 1.7 < taller_height / square_height < 2.3


def test_the_overview_grid_is_whole_blocks():
    # Cells are probed only inside blocks that hold a parcel: the blocks must tile the grid.
    assert tiles.THIN_GRID % tiles.THIN_BLOCK == 0
