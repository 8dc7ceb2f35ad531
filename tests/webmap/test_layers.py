"""Buildings as vector tiles; zones and municipal borders as small GeoJSON overlays."""

import datetime as dt

import mapbox_vector_tile
import pytest

from tests import factories as f
from tests.webmap.conftest import tile_of


def test_buildings_come_as_their_own_tile_layer(client, db_session):
    building = f.building(db_session, geom=None)
    from inventory.services import geometry as geo

    building.geom = building.parcel.geom
    db_session.flush()
    centre = geo.from_db(building.parcel.geom).centroid
    z, x, y = tile_of(centre.x, centre.y, 16)
    response = client.get(f"/tiles/buildings/{z}/{x}/{y}.pbf")
    assert response.status_code == 200 and response.headers["ETag"]
    features = mapbox_vector_tile.decode(response.data)["buildings"]["features"]
    assert [feat["properties"]["id"] for feat in features] == [building.id]
    assert set(features[0]["properties"]) <= {"id", "kind", "floors", "parcel_id"}
    assert client.get(f"/tiles/buildings/{z}/{x + 3}/{y}.pbf").status_code == 204


def test_zones_in_the_box_and_in_force_only(client, db_session):
    f.zone(db_session, code="1", kz=1.2)
    f.zone(db_session, code="old", valid_from=dt.date(2010, 1, 1), valid_to=dt.date(2019, 1, 1))
    body = client.get("/layers/zones.geojson?bbox=72.7,40.5,72.9,40.6")
    assert body.mimetype == "application/geo+json"
    features = body.get_json()["features"]
    assert [feat["properties"]["code"] for feat in features] == ["1"]
    assert features[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    far = client.get("/layers/zones.geojson?bbox=10,10,11,11").get_json()
    assert far == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize("bbox", ["", "1,2,3", "a,b,c,d", "5,5,1,1", "0,0,200,1", "nan,0,1,1"])
def test_a_bad_bbox_is_400(client, bbox):
    assert client.get(f"/layers/zones.geojson?bbox={bbox}").status_code == 400


def test_borders_are_named_in_the_readers_language(client, db_session):
    f.municipality(db_session, "osh", name_en="Osh", name_ru="Ош")
    features = client.get("/layers/boundaries.geojson?lang=ru").get_json()["features"]
    osh = [feat for feat in features if feat["properties"]["slug"] == "osh"]
    assert osh[0]["properties"]["name"] == "Ош"
    assert "parcel" not in str(features)


def test_the_map_offers_the_layers_filters_and_links(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    for text in (
        "/tiles/buildings/{z}/{x}/{y}.pbf",
        "/layers/zones.geojson",
        "/layers/boundaries.geojson",
        'class="map-filter-form"',
        'name="status"',
        "Economic-planning zones",
        "Municipal borders",
        "Buildings",
        'href="/free',
        'href="/about-data',
        "Report a problem",
    ):
        assert text in html, text
