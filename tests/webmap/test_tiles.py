"""GET /tiles/parcels/{z}/{x}/{y}.pbf: parcels as Mapbox vector tiles made by PostGIS."""

import mapbox_vector_tile
import pytest

from inventory import models as m
from inventory.services import geometry as geo
from inventory.services.public import tiles
from tests import factories as f
from tests.webmap.conftest import COMPANY_NAME, PRIVATE_NAME, tile_path


def _features(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    return {
        feature["properties"]["id"]: feature
        for feature in mapbox_vector_tile.decode(response.data)["parcels"]["features"]
    }


def test_a_tile_carries_the_parcels_public_properties(client, db_session, company_lease):
    centre = geo.from_db(company_lease.geom).centroid
    free = f.parcel(
        db_session, status=m.ParcelStatus.FREE, shape=f.square(centre.x, centre.y + 0.0004, 10)
    )
    features = _features(client.get(tile_path(company_lease, z=14)))
    leased = features[company_lease.id]
    assert leased["id"] == company_lease.id
    assert leased["properties"] == {
        "id": company_lease.id,
        "status": "leased",
        "use": "trade",
        "municipality": "osh",
        "lessee_kind": "legal_entity",
        "lessee": COMPANY_NAME,
    }
    assert leased["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert features[free.id]["properties"]["status"] == "free"
    assert "lessee" not in features[free.id]["properties"]


def test_a_private_individuals_name_never_reaches_a_tile(client, private_lease):
    response = client.get(tile_path(private_lease))
    properties = _features(response)[private_lease.id]["properties"]
    assert properties["lessee_kind"] == "individual"
    assert "lessee" not in properties
    assert PRIVATE_NAME.encode() not in response.data


def test_archived_parcels_are_not_public(client, db_session, company_lease):
    import datetime as dt

    company_lease.archived_at = dt.datetime.now(dt.UTC)
    db_session.flush()
    assert client.get(tile_path(company_lease)).status_code == 204


@pytest.mark.parametrize(
    "path",
    [
        "/tiles/parcels/16/0/0.pbf",  # the Pacific: nothing there
        "/tiles/parcels/5/22/11.pbf",  # Central Asia, but below the zoom that shows parcels
    ],
)
def test_an_empty_tile_is_204_and_still_cacheable(client, company_lease, path):
    response = client.get(path)
    assert response.status_code == 204 and response.data == b""
    assert "max-age" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/tiles/parcels/3/8/0.pbf", "/tiles/parcels/23/0/0.pbf", "/tiles/parcels/2/1/-1.pbf"]
)
def test_impossible_tiles_are_404(client, path):
    assert client.get(path).status_code == 404


def test_etag_and_if_none_match_answer_304(client, company_lease):
    path = tile_path(company_lease)
    first = client.get(path)
    etag = first.headers["ETag"]
    assert etag and "public" in first.headers["Cache-Control"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_changes_when_the_data_does(client, db_session, company_lease):
    path = tile_path(company_lease)
    before = client.get(path).headers["ETag"]
    company_lease.status = m.ParcelStatus.DISPUTED
    db_session.flush()
    after = client.get(path, headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before
    assert _features(after)[company_lease.id]["properties"]["status"] == "disputed"


def test_geometry_is_simplified_at_low_zoom_only():
    assert tiles.simplify_tolerance(tiles.MIN_ZOOM) > tiles.simplify_tolerance(14) > 0
    assert tiles.simplify_tolerance(tiles.SIMPLIFY_BELOW_ZOOM) == 0


def test_a_detailed_parcel_still_shows_at_the_lowest_zoom(client, db_session):
    import shapely

    round_parcel = f.parcel(db_session, shape=shapely.Point(72.81, 40.52).buffer(0.002, 64))
    features = _features(client.get(tile_path(round_parcel, z=tiles.MIN_ZOOM)))
    assert round_parcel.id in features


def test_below_the_thinning_zoom_a_dense_block_is_one_parcel_per_cell(client, db_session):
    # 25 kiosks of 4 m, 6 m apart: all of them at street zoom; at a town's zoom they fall
    # in one cell of the overview grid (two to four if the block straddles a cell edge).
    lon, lat = f.OSH[0] + 0.0213, f.OSH[1] + 0.0107
    block = [
        f.parcel(db_session, shape=f.square(lon + i * 0.00007, lat + j * 0.000054, 4))
        for i in range(5)
        for j in range(5)
    ]
    db_session.flush()
    ours = {p.id for p in block}
    near = _features(client.get(tile_path(block[12], z=tiles.THIN_BELOW_ZOOM + 2)))
    assert ours <= set(near)
    far = _features(client.get(tile_path(block[12], z=tiles.MIN_ZOOM)))
    assert 1 <= len(ours & set(far)) <= 4
