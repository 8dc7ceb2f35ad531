"""Tiles kept in the database (inventory/services/public/tile_cache.py, migration 0009):
served again from the cache, forgotten by the database when a write can change them, never stored
from data a write in flight is changing."""

import threading
import time

import mapbox_vector_tile
import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory import models as m
from inventory.services import geometry as geo
from inventory.services.public import tile_cache, tiles
from tests import factories as f
from tests.conftest import throwaway_database
from tests.webmap.conftest import COMPANY_NAME, tile_of, tile_path


def _kept(session, path=None) -> int:
    """Kept parcel tiles, or whether the tile of `path` is kept (0/1)."""
    if path is None:
        return session.scalar(sa.text("SELECT count(*) FROM tile_cache"))
    z, x, y = (int(part) for part in path.removesuffix(".pbf").split("/")[-3:])
    return session.scalar(
        sa.text("SELECT count(*) FROM tile_cache WHERE z = :z AND x = :x AND y = :y"),
        {"z": z, "x": x, "y": y},
    )


def _properties(response, parcel_id):
    assert response.status_code == 200
    layer = mapbox_vector_tile.decode(response.data)["parcels"]["features"]
    return next(
        feature["properties"] for feature in layer if feature["properties"]["id"] == parcel_id
    )


def test_a_kept_tile_is_served_from_the_cache(client, db_session, company_lease):
    path = tile_path(company_lease)
    first = client.get(path)
    assert first.status_code == 200 and _kept(db_session, path) == 1
    # What is served now comes from the table, not from the parcels.
    db_session.execute(sa.text("UPDATE tile_cache SET data = 'kept', etag = 'e1'"))
    again = client.get(path)
    assert again.data == b"kept" and again.headers["ETag"] == '"e1"'


def test_empty_tiles_are_kept_and_tiles_below_the_parcel_zoom_are_not(client, db_session):
    assert client.get("/tiles/parcels/16/0/0.pbf").status_code == 204
    assert _kept(db_session, "/tiles/parcels/16/0/0.pbf") == 1
    assert client.get("/tiles/parcels/5/22/11.pbf").status_code == 204
    assert _kept(db_session, "/tiles/parcels/5/22/11.pbf") == 0


def _edits(db_session, parcel):
    """Writes that change what the parcel's tile shows, by name."""

    def status():
        parcel.status = m.ParcelStatus.DISPUTED

    def move():
        parcel.geom = geo.to_db(geo.as_multipolygon(f.square(f.OSH[0] + 0.05, f.OSH[1])))

    def archive():
        import datetime as dt

        parcel.archived_at = dt.datetime.now(dt.UTC)

    def use():
        parcel.designated_use = f.use(db_session, "greening")

    def contract_ends():
        db_session.scalars(
            sa.select(m.LeaseContract)
            .join(m.ContractObject)
            .where(m.ContractObject.parcel_id == parcel.id)
        ).one().status = m.ContractStatus.EXPIRED

    def lessee_renamed():
        db_session.execute(
            sa.text("UPDATE lessee SET name = 'ОсОО «Жаңы аты»' WHERE name = :name"),
            {"name": COMPANY_NAME},
        )

    def contract_object_removed():
        db_session.execute(
            sa.text("DELETE FROM contract_object WHERE parcel_id = :id"), {"id": parcel.id}
        )

    def municipality_slug():
        db_session.execute(
            sa.text("UPDATE municipality SET slug = 'osh-city' WHERE id = :id"),
            {"id": parcel.municipality_id},
        )

    def truncate():
        db_session.execute(
            sa.text(
                "TRUNCATE citizen_report, inspection_photo, inspection, "
                "anomaly_flag, payment, scheduled_payment, "
                "contract_object, lease_contract CASCADE"
            )
        )

    return {
        fn.__name__: fn
        for fn in (
            status,
            move,
            archive,
            use,
            contract_ends,
            lessee_renamed,
            contract_object_removed,
            municipality_slug,
            truncate,
        )
    }


@pytest.mark.parametrize(
    "edit",
    [
        "status",
        "move",
        "archive",
        "use",
        "contract_ends",
        "lessee_renamed",
        "contract_object_removed",
        "municipality_slug",
        "truncate",
    ],
)
def test_a_write_that_changes_a_tile_forgets_it(client, db_session, company_lease, edit):
    path = tile_path(company_lease)
    before = client.get(path)
    assert _kept(db_session, path) == 1
    _edits(db_session, company_lease)[edit]()
    db_session.flush()
    assert _kept(db_session, path) == 0, f"{edit} left the tile in the cache"
    after = client.get(path)
    assert after.data != before.data


def test_the_new_tile_shows_the_write(client, db_session, company_lease):
    path = tile_path(company_lease)
    assert _properties(client.get(path), company_lease.id)["lessee"] == COMPANY_NAME
    db_session.execute(
        sa.text("UPDATE lessee SET name = 'ОсОО «Жаңы аты»' WHERE name = :name"),
        {"name": COMPANY_NAME},
    )
    db_session.flush()
    assert _properties(client.get(path), company_lease.id)["lessee"] == "ОсОО «Жаңы аты»"


def test_writes_a_tile_does_not_show_leave_it_kept(client, db_session, company_lease):
    path = tile_path(company_lease)
    client.get(path)
    company_lease.address = "ул. Ленина, 214"
    company_lease.note = "checked"
    far = f.parcel(db_session, shape=f.square(f.OSH[0] + 0.2, f.OSH[1] + 0.1))
    far.status = m.ParcelStatus.RESERVED
    db_session.flush()
    assert _kept(db_session, path) == 1


def test_building_tiles_are_forgotten_when_a_building_changes(client, db_session, company_lease):
    centre = geo.from_db(company_lease.geom).centroid
    building = f.building(
        db_session,
        company_lease,
        geom=geo.to_db(geo.as_multipolygon(f.square(centre.x, centre.y, 8))),
    )
    path = "/tiles/buildings/{}/{}/{}.pbf".format(*tile_of(centre.x, centre.y, 17))
    assert client.get(path).status_code == 200 and _kept(db_session, path) == 1
    building.floors = 9
    db_session.flush()
    assert _kept(db_session, path) == 0


def test_the_oldest_tiles_go_when_the_cache_is_full(db_session, monkeypatch):
    monkeypatch.setattr(tile_cache, "EVICT_EVERY", 1)
    for x in range(5):
        tile_cache.make_tile(db_session, "parcels", 16, x, 0, tiles.parcel_tile, limit=2)
    assert db_session.execute(sa.text("SELECT x FROM tile_cache ORDER BY x")).scalars().all() == [
        3,
        4,
    ]


def test_no_tile_is_kept_when_the_cache_is_off(app, client, db_session, company_lease):
    app.config["TILE_CACHE_TILES"] = 0
    assert client.get(tile_path(company_lease)).status_code == 200
    assert _kept(db_session) == 0


# -- Concurrent writers and tile makers, with real commits in a database of their own ----


@pytest.fixture(scope="module")
def committed():
    """An engine on a throwaway database holding one committed leased parcel; yields
    (engine, parcel id, z/x/y of its tile)."""
    with throwaway_database() as url:
        engine = sa.create_engine(url)
        with so.Session(engine) as session:
            parcel = f.parcel(session, status=m.ParcelStatus.LEASED)
            f.contract(session, parcel)
            centre = geo.from_db(parcel.geom).centroid
            found = (engine, parcel.id, tile_of(centre.x, centre.y, 16))
            session.commit()
        yield found
        engine.dispose()


def _status(engine, parcel_id, status):
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE parcel SET status = :s WHERE id = :id"), {"s": status, "id": parcel_id}
        )


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM tile_cache"))


def test_a_tile_made_while_a_write_is_in_flight_is_not_kept(committed):
    engine, parcel_id, (z, x, y) = committed
    with engine.connect() as writer, so.Session(engine) as maker:
        pending = writer.begin()
        writer.execute(
            sa.text("UPDATE parcel SET status = 'disputed' WHERE id = :id"), {"id": parcel_id}
        )
        tile_cache.make_tile(maker, "parcels", z, x, y, tiles.parcel_tile, limit=100)
        maker.commit()
        assert _count(engine) == 0
        pending.commit()
        made = tile_cache.make_tile(maker, "parcels", z, x, y, tiles.parcel_tile, limit=100)
        maker.commit()
    assert _count(engine) == 1
    assert b"disputed" in made.data
    _status(engine, parcel_id, "leased")
    assert _count(engine) == 0


def test_a_write_waits_for_a_tile_being_made_and_then_forgets_it(committed):
    engine, parcel_id, (z, x, y) = committed
    with so.Session(engine) as maker:
        tile_cache.make_tile(maker, "parcels", z, x, y, tiles.parcel_tile, limit=100)
        # Made and stored, not yet committed: the writer must wait for it.
        writer = threading.Thread(target=_status, args=(engine, parcel_id, "reserved"))
        writer.start()
        time.sleep(0.5)
        assert writer.is_alive(), "the write did not wait for the tile being stored"
        maker.commit()
        writer.join(timeout=10)
        assert not writer.is_alive()
    assert _count(engine) == 0
    _status(engine, parcel_id, "leased")
