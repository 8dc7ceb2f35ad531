"""Features Part 2 (crs, bbox-crs) checked against PROJ, and the JSON Schemas of Parts 3
and 5 with numbers typed and written as numbers."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator
from pyproj import Transformer

from tests.ogc.conftest import FRACTIONAL_AREA, WHOLE_AREA

EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def _first_point(feature):
    return feature["geometry"]["coordinates"][0][0][0]


@pytest.mark.parametrize("srid", [7694, 7693, 3857])
def test_crs_writes_coordinates_projected_as_proj_does(client, inventory, srid):
    url = f"/ogc/collections/parcels/items/{inventory.free_parcel.id}"
    lon, lat = _first_point(_get(client, url).get_json())
    response = _get(client, f"{url}?crs={EPSG}{srid}")
    assert response.headers["Content-Crs"] == f"<{EPSG}{srid}>"
    x, y = _first_point(response.get_json())
    expected = Transformer.from_crs(4326, srid, always_xy=True).transform(lon, lat)
    assert x == pytest.approx(expected[0], abs=0.01) and y == pytest.approx(expected[1], abs=0.01)
    page = _get(client, f"/ogc/collections/parcels/items?crs=EPSG:{srid}&limit=1")
    assert page.headers["Content-Crs"] == f"<{EPSG}{srid}>"
    assert abs(_first_point(page.get_json()["features"][0])[0]) > 1000  # metres, not degrees


def test_epsg_4326_is_latitude_first_and_crs84_longitude_first(client, inventory):
    url = f"/ogc/collections/parcels/items/{inventory.free_parcel.id}"
    lon, lat = _first_point(_get(client, url).get_json())
    flipped = _first_point(_get(client, f"{url}?crs={EPSG}4326").get_json())
    assert flipped == [lat, lon]
    assert 39 < lat < 42 and 70 < lon < 76


def test_bbox_crs_reads_the_box_in_that_crs(client, inventory):
    url = f"/ogc/collections/parcels/items/{inventory.free_parcel.id}"
    lon, lat = _first_point(_get(client, url).get_json())
    to_zone = Transformer.from_crs(4326, 7694, always_xy=True)
    x, y = to_zone.transform(lon, lat)
    box = f"{x - 1},{y - 1},{x + 1},{y + 1}"
    found = _get(client, f"/ogc/collections/parcels/items?bbox={box}&bbox-crs={EPSG}7694")
    ids = [f["id"] for f in found.get_json()["features"] if f["geometry"]]
    assert ids == [inventory.free_parcel.id]
    lat_first = f"{lat - 1e-6},{lon - 1e-6},{lat + 1e-6},{lon + 1e-6}"
    found = _get(client, f"/ogc/collections/parcels/items?bbox={lat_first}&bbox-crs=EPSG:4326")
    assert [f["id"] for f in found.get_json()["features"] if f["geometry"]] == ids
    for bad in ("crs=EPSG:2154", "bbox-crs=EPSG:9999&bbox=1,2,3,4"):
        response = client.get(f"/ogc/collections/parcels/items?{bad}")
        assert response.status_code == 400 and "CRS" in response.get_data(as_text=True)


def test_collections_list_their_crs_and_storage_crs(client, inventory):
    doc = _get(client, "/ogc/collections/contracts").get_json()
    assert {f"{EPSG}7693", f"{EPSG}7694", f"{EPSG}4326"} <= set(doc["crs"])
    assert doc["storageCrs"].endswith("CRS84")


@pytest.mark.parametrize("collection", ["parcels", "buildings", "zones", "free-plots", "contracts"])
@pytest.mark.parametrize("document", ["queryables", "schema"])
def test_queryables_and_schema_are_json_schemas_typing_every_property(
    client, inventory, collection, document
):
    collection_doc = _get(client, f"/ogc/collections/{collection}").get_json()
    rels = {link["rel"]: link for link in collection_doc["links"]}
    assert rels["describedby"]["type"] == "application/schema+json"
    response = _get(client, f"/ogc/collections/{collection}/{document}")
    assert response.mimetype == "application/schema+json"
    schema = response.get_json()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    items = _get(client, f"/ogc/collections/{collection}/items?limit=50").get_json()
    for feature in items["features"]:
        for name, value in feature["properties"].items():
            declared = schema["properties"][name]
            if value is not None:
                Draft202012Validator({k: v for k, v in declared.items() if k == "type"}).validate(
                    value
                )
    assert schema["properties"]["geometry"]["x-ogc-role"] == "primary-geometry"
    if document == "schema":
        assert schema["properties"]["id"]["x-ogc-role"] == "id"
    html = client.get(f"/ogc/collections/{collection}/{document}?f=html")
    assert html.mimetype == "text/html"


def test_areas_are_numbers_with_a_decimal_part_in_the_text(client, inventory):
    text = _get(client, "/ogc/collections/contracts/items?sortby=area").get_data(as_text=True)
    areas = re.findall(r'"area" ?: ?([0-9.]+|null)', text)
    assert f"{float(WHOLE_AREA)}" in areas and str(FRACTIONAL_AREA) in areas
    assert all("." in area for area in areas if area != "null")
    schema = _get(client, "/ogc/collections/contracts/schema").get_json()
    assert schema["properties"]["area"]["type"] == "number"
    assert json.loads(text)["features"]
