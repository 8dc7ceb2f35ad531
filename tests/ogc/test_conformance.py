"""Every conformance class /ogc/conformance declares is requested here, each with the
request that shows it honoured; a class declared without a check here fails."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from inventory.services.ogc.documents import CONFORMANCE


def _ok(client, url, media=None):
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.get_data(as_text=True)[:300]}"
    if media:
        assert response.mimetype == media, url
    return response


def _matched(client, collection, query):
    return _ok(client, f"/ogc/collections/{collection}/items?{query}").get_json()["numberMatched"]


def _cql(client, text, lang="cql2-text", collection="contracts"):
    return _matched(client, collection, f"filter-lang={lang}&filter={quote(text)}")


def _landing(client, inventory):
    rels = {link["rel"] for link in _ok(client, "/ogc").get_json()["links"]}
    assert {"self", "service-desc", "service-doc", "conformance", "data"} <= rels


def _json(client, inventory):
    for url in ("/ogc?f=json", "/ogc/conformance?f=json", "/ogc/collections?f=json"):
        _ok(client, url, "application/json")


def _html(client, inventory):
    for url in ("/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/api"):
        _ok(client, f"{url}?f=html", "text/html")
    _ok(client, "/ogc/collections/parcels/items", media=None)
    assert client.get("/ogc/collections", headers={"Accept": "text/html"}).mimetype == "text/html"


def _oas30(client, inventory):
    doc = _ok(client, "/ogc/api").get_json()
    assert doc["openapi"].startswith("3.0")
    assert "/collections/parcels/items" in doc["paths"]
    assert (
        "/collections/parcels/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"
        in (doc["paths"])
    )


def _collections(client, inventory):
    doc = _ok(client, "/ogc/collections").get_json()
    for collection in doc["collections"]:
        _ok(client, f"/ogc/collections/{collection['id']}")


def _features_core(client, inventory):
    page = _ok(
        client, "/ogc/collections/parcels/items?limit=1&bbox=70,39,76,42&datetime=2020-01-01/.."
    )
    assert page.get_json()["numberReturned"] == 1
    _ok(client, f"/ogc/collections/parcels/items/{inventory.free_parcel.id}")


def _geojson(client, inventory):
    _ok(client, "/ogc/collections/parcels/items", "application/geo+json")


def _crs(client, inventory):
    response = _ok(client, "/ogc/collections/parcels/items?crs=EPSG:7694&limit=1")
    assert response.headers["Content-Crs"].endswith("7694>")


def _queryables(client, inventory):
    _ok(client, "/ogc/collections/parcels/queryables", "application/schema+json")


def _queryable_parameters(client, inventory):
    assert _matched(client, "parcels", "land_use=trade") == _matched(
        client, "parcels", "designated_use=trade"
    )


def _filter(client, inventory):
    assert _cql(client, "munic = 'osh'") == _matched(client, "contracts", "munic=osh")


def _schemas(client, inventory):
    schema = _ok(client, "/ogc/collections/contracts/schema", "application/schema+json")
    assert schema.get_json()["properties"]["area"]["type"] == "number"


def _roles(client, inventory):
    schema = _ok(client, "/ogc/collections/parcels/schema").get_json()["properties"]
    assert schema["id"]["x-ogc-role"] == "id"
    assert schema["geometry"]["x-ogc-role"] == "primary-geometry"


def _sorting(client, inventory):
    features = _ok(client, "/ogc/collections/parcels/items?sortby=-id").get_json()["features"]
    assert [f["id"] for f in features] == sorted((f["id"] for f in features), reverse=True)


def _cql2_json(client, inventory):
    body = {"op": "=", "args": [{"property": "munic"}, "osh"]}
    assert _cql(client, json.dumps(body), "cql2-json") == _cql(client, "munic = 'osh'")


def _advanced(client, inventory):
    assert _cql(client, "number LIKE '%' AND area BETWEEN 0 AND 1e9 AND munic IN ('osh')") >= 2


def _casei(client, inventory):
    assert _cql(client, "CASEI(munic) = casei('OSH')") == _cql(client, "munic = 'osh'")


def _spatial(client, inventory):
    assert _cql(client, "S_INTERSECTS(geometry, BBOX(70, 39, 76, 42))", collection="parcels") > 0
    assert _cql(client, "S_WITHIN(geometry, BBOX(70, 39, 76, 42))", collection="parcels") > 0
    assert _cql(client, "S_DISJOINT(geometry, POINT(0 0))", collection="parcels") > 0


def _tileset(client, inventory):
    _ok(client, "/ogc/collections/parcels/tiles/WebMercatorQuad")


def _tilesets(client, inventory):
    _ok(client, "/ogc/collections/buildings/tiles")


def _tile(client, inventory):
    response = client.get("/ogc/collections/parcels/tiles/WebMercatorQuad/9/192/359")
    assert response.status_code in (200, 204)


CHECKS = {
    "ogcapi-common-1/1.0/conf/core": _landing,
    "ogcapi-common-1/1.0/conf/landing-page": _landing,
    "ogcapi-common-1/1.0/conf/json": _json,
    "ogcapi-common-1/1.0/conf/html": _html,
    "ogcapi-common-1/1.0/conf/oas30": _oas30,
    "ogcapi-common-2/1.0/conf/collections": _collections,
    "ogcapi-features-1/1.0/conf/core": _features_core,
    "ogcapi-features-1/1.0/conf/geojson": _geojson,
    "ogcapi-features-1/1.0/conf/html": _html,
    "ogcapi-features-1/1.0/conf/oas30": _oas30,
    "ogcapi-features-2/1.0/conf/crs": _crs,
    "ogcapi-features-3/1.0/conf/queryables": _queryables,
    "ogcapi-features-3/1.0/conf/queryables-query-parameters": _queryable_parameters,
    "ogcapi-features-3/1.0/conf/filter": _filter,
    "ogcapi-features-3/1.0/conf/features-filter": _filter,
    "ogcapi-features-5/1.0/conf/schemas": _schemas,
    "ogcapi-features-5/1.0/conf/core-roles-features": _roles,
    "ogcapi-records-1/1.0/conf/sorting": _sorting,
    "cql2/1.0/conf/basic-cql2": _filter,
    "cql2/1.0/conf/cql2-text": _filter,
    "cql2/1.0/conf/cql2-json": _cql2_json,
    "cql2/1.0/conf/advanced-comparison-operators": _advanced,
    "cql2/1.0/conf/case-insensitive-comparison": _casei,
    "cql2/1.0/conf/basic-spatial-functions": _spatial,
    "cql2/1.0/conf/basic-spatial-functions-plus": _spatial,
    "cql2/1.0/conf/spatial-functions": _spatial,
    "ogcapi-tiles-1/1.0/conf/core": _tile,
    "ogcapi-tiles-1/1.0/conf/tileset": _tileset,
    "ogcapi-tiles-1/1.0/conf/tilesets-list": _tilesets,
    "ogcapi-tiles-1/1.0/conf/geodata-tilesets": _tilesets,
    "ogcapi-tiles-1/1.0/conf/mvt": _tile,
    "ogcapi-tiles-1/1.0/conf/oas30": _oas30,
}


def test_the_conformance_document_lists_the_declared_classes(client):
    assert _ok(client, "/ogc/conformance").get_json()["conformsTo"] == CONFORMANCE


@pytest.mark.parametrize("declared", CONFORMANCE, ids=lambda uri: uri.split("/spec/")[1])
def test_each_declared_class_is_honoured(client, inventory, declared):
    check = CHECKS[declared.split("/spec/")[1]]
    check(client, inventory)
