"""Features Part 1 as the standard words it: the HTML API page, links on HTML pages,
`datetime` on collections without time, boxes across the antimeridian, features without
features without geometry outside any box, and one Date header."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests import factories as f


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_api_definition_is_a_page_for_browsers_and_json_for_programs(client):
    page = client.get("/ogc/api?f=html")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "/collections/{collectionId}" in text or "/collections/parcels/items" in text
    browser = client.get("/ogc/api", headers={"Accept": "text/html"})
    assert browser.mimetype == "text/html"
    assert client.get("/ogc/api").get_json()["openapi"] == "3.0.3"


def test_html_items_and_feature_pages_link_to_their_json(client, inventory):
    for url in (
        "/ogc/collections/parcels/items?f=html&limit=2",
        f"/ogc/collections/parcels/items/{inventory.free_parcel.id}?f=html",
    ):
        text = client.get(url).get_data(as_text=True)
        hrefs = dict(re.findall(r'href="([^"]+)" rel="([^"]+)"', text))
        rels = {rel: href for href, rel in hrefs.items()}
        assert "f=json" in rels["self"] and "f=html" in rels["alternate"], url
        assert "collection" in rels


def test_datetime_on_a_collection_without_time_selects_every_feature(client, inventory):
    every = _json(client, "/ogc/collections/parcels/items")["numberMatched"]
    for value in ("2020-01-01", "2020-01-01/..", "../2019-12-31"):
        doc = _json(client, f"/ogc/collections/parcels/items?datetime={value}")
        assert doc["numberMatched"] == every, value
    assert client.get("/ogc/collections/parcels/items?datetime=yesterday").status_code == 400
    api = _json(client, "/ogc/api")
    for name in ("parcels", "buildings", "free-plots"):
        params = api["paths"][f"/collections/{name}/items"]["get"]["parameters"]
        assert "datetime" in {p["name"] for p in params}


def test_a_box_across_the_antimeridian_is_two_boxes(client, db_session, inventory):
    east = f.parcel(db_session, shape=f.square(179.9995, 10.0))
    west = f.parcel(db_session, shape=f.square(-179.9995, 10.0))
    f.parcel(db_session, shape=f.square(0.0, 10.0))
    doc = _json(client, "/ogc/collections/parcels/items?bbox=179.99,9.99,-179.99,10.01")
    ids = {x["id"] for x in doc["features"] if x["geometry"]}
    assert ids == {east.id, west.id}


def test_a_box_or_a_spatial_filter_selects_only_features_whose_geometry_meets_it(client, inventory):
    # /req/core/fc-bbox-response: only features with a geometry that intersects the box.
    every = _json(client, "/ogc/collections/parcels/items?limit=1000")
    assert "ул. Без границ, 1" in {x["properties"]["address"] for x in every["features"]}
    world = "-180,-90,180,90"
    for url in (
        f"/ogc/collections/parcels/items?bbox={world}&limit=1000",
        "/ogc/collections/parcels/items?limit=1000&filter-lang=cql2-text&filter="
        + quote(f"S_INTERSECTS(geometry, BBOX({world}))"),
    ):
        doc = _json(client, url)
        assert doc["features"] and all(x["geometry"] for x in doc["features"]), url
        assert doc["numberMatched"] == every["numberMatched"] - 1, url
    assert _json(client, "/ogc/collections/parcels/items?bbox=0,0,0.01,0.01")["features"] == []


def test_ogc_answers_carry_no_date_of_their_own(client, inventory):
    # The HTTP server (gunicorn, Werkzeug) writes Date; the app must not add a second.
    for url in ("/ogc", "/ogc/collections/parcels/items", "/ogc/conformance"):
        assert "Date" not in client.get(url).headers, url
