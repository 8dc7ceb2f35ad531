"""OGC API - Tiles: the tile matrix set, each tiled collection's tilesets, tileset and
TileJSON, a tile fetched through the tileset's own URL template, empty tiles, and one
Date header over real HTTP."""

from __future__ import annotations

import http.client
import math
from urllib.parse import urlsplit

import mapbox_vector_tile
import pytest

TILES = "/ogc/collections/parcels/tiles"


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def _point(client, parcel_id):
    feature = _json(client, f"/ogc/collections/parcels/items/{parcel_id}")
    return feature["geometry"]["coordinates"][0][0][0]


def test_the_tile_matrix_set_is_web_mercator_quad(client):
    listed = _json(client, "/ogc/tileMatrixSets")["tileMatrixSets"]
    assert [t["id"] for t in listed] == ["WebMercatorQuad"]
    tms = _json(client, "/ogc/tileMatrixSets/WebMercatorQuad")
    assert tms["crs"].endswith("EPSG/0/3857")
    assert tms["tileMatrices"][14]["matrixWidth"] == 2**14
    landing = _json(client, "/ogc")
    assert any(link["href"].endswith("/tileMatrixSets") for link in landing["links"])


def test_a_tile_fetched_through_the_tilesets_template_holds_the_parcel(client, inventory):
    tilesets = _json(client, TILES)["tilesets"]
    assert tilesets[0]["dataType"] == "vector"
    tileset = _json(client, f"{TILES}/WebMercatorQuad")
    assert tileset["layers"][0]["id"] == "parcels"
    template = next(link for link in tileset["links"] if link["rel"] == "item")
    assert template["templated"] and template["type"] == "application/vnd.mapbox-vector-tile"
    lon, lat = _point(client, inventory.free_parcel.id)
    col, row = _tile_of(lon, lat, 16)
    url = (
        template["href"]
        .replace("{tileMatrix}", "16")
        .replace("{tileRow}", str(row))
        .replace("{tileCol}", str(col))
    )
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    decoded = mapbox_vector_tile.decode(response.data)
    ids = {feature["properties"]["id"] for feature in decoded["parcels"]["features"]}
    assert inventory.free_parcel.id in ids
    assert "Date" not in response.headers


def test_tilejson_describes_the_tiles_and_their_layer(client, inventory):
    doc = _json(client, f"{TILES}/WebMercatorQuad/tilejson.json")
    assert doc["tilejson"] == "3.0.0"
    assert doc["vector_layers"][0]["id"] == "parcels"
    assert "{z}/{y}/{x}" in doc["tiles"][0]
    lon, lat = _point(client, inventory.free_parcel.id)
    col, row = _tile_of(lon, lat, 16)
    tile = client.get(
        urlsplit(doc["tiles"][0])
        .path.replace("{z}", "16")
        .replace("{x}", str(col))
        .replace("{y}", str(row))
    )
    assert tile.status_code == 200
    buildings = _json(client, "/ogc/collections/buildings/tiles/WebMercatorQuad/tilejson.json")
    assert buildings["vector_layers"][0]["id"] == "buildings"
    assert client.get("/ogc/collections/zones/tiles").status_code == 404
    assert client.get(f"{TILES}/WorldCRS84Quad").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"{TILES}/WebMercatorQuad/9/192/359",
        "/tiles/parcels/9/359/192.pbf",
        f"{TILES}/WebMercatorQuad/16/0/0",
    ],
)
def test_an_empty_tile_is_204_without_a_body_or_a_content_type(client, url):
    response = client.get(url)
    assert response.status_code == 204
    assert response.data == b""
    assert "Content-Type" not in response.headers


def _date_headers(base: str, path: str) -> tuple[int, int]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        answer.read()
        return answer.status, len(answer.msg.get_all("Date") or [])
    finally:
        connection.close()


def test_one_date_header_over_http(live):
    for path in ("/ogc", "/ogc/collections/parcels/items?limit=1", f"{TILES}/WebMercatorQuad"):
        status, dates = _date_headers(live, path)
        assert (status, dates) == (200, 1), path
    status, dates = _date_headers(live, "/tiles/parcels/9/359/192.pbf")
    assert (status, dates) == (204, 1)
