"""OGC API - Features at /ogc: documents, media types, paging, bbox, filters, counts."""

from __future__ import annotations

import pytest
import shapely
import sqlalchemy as sa

from inventory import models as m
from inventory.services.ogc import features
from tests import factories as f


def _get(client, url, **kw):
    response = client.get(url, **kw)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_the_landing_page_links_conformance_collections_and_the_api(client):
    doc = _get(client, "/ogc").get_json()
    rels = {link["rel"] for link in doc["links"]}
    assert {"self", "alternate", "conformance", "data", "service-desc"} <= rels
    classes = _get(client, "/ogc/conformance").get_json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in classes
    assert _get(client, "/ogc/api").get_json()["openapi"].startswith("3.0")


def test_every_collection_is_listed_with_its_items_link(client, inventory):
    doc = _get(client, "/ogc/collections").get_json()
    assert [c["id"] for c in doc["collections"]] == [
        "parcels",
        "buildings",
        "zones",
        "free-plots",
        "contracts",
    ]
    contracts = next(c for c in doc["collections"] if c["id"] == "contracts")
    assert contracts["extent"]["temporal"]["interval"][0][0].startswith("2020-01-01")
    assert any(link["rel"] == "items" for link in contracts["links"])


def test_items_are_geojson_with_the_geo_json_media_type(client, inventory):
    response = _get(client, "/ogc/collections/parcels/items")
    assert response.mimetype == "application/geo+json"
    doc = response.get_json()
    assert doc["type"] == "FeatureCollection" and doc["numberReturned"] == 3
    assert doc["features"][0]["geometry"]["type"] == "MultiPolygon"
    rels = {link["rel"] for link in doc["links"]}
    assert {"self", "alternate", "collection"} <= rels and "next" not in rels


def test_html_is_served_on_request_and_translated(client, inventory):
    page = _get(client, "/ogc/collections/parcels/items?f=html&lang=ru")
    assert page.mimetype == "text/html"
    assert "Земельные участки" in page.get_data(as_text=True)
    browser = client.get("/ogc/collections", headers={"Accept": "text/html"})
    assert browser.mimetype == "text/html"


def test_paging_follows_next_and_prev_links_through_every_feature(client, inventory):
    seen, url = [], "/ogc/collections/parcels/items?limit=1"
    while url:
        doc = _get(client, url).get_json()
        seen += [feature["id"] for feature in doc["features"]]
        links = {link["rel"]: link["href"] for link in doc["links"]}
        if len(seen) > 1:
            assert "offset=" in links["prev"] or links["prev"].endswith("f=json")
        url = links.get("next", "").replace("http://localhost", "")
    assert len(seen) == 3 == len(set(seen)) and seen == sorted(seen)


def test_limit_is_capped_and_bad_parameters_are_400(client, inventory):
    assert (
        _get(client, "/ogc/collections/parcels/items?limit=999999").get_json()["numberReturned"]
        == 3
    )
    for bad in (
        "limit=0",
        "offset=-1",
        "bbox=1,2,3",
        "bbox=a,b,c,d",
        "colour=red",
        "datetime=yesterday",
    ):
        response = client.get(f"/ogc/collections/contracts/items?{bad}")
        assert response.status_code == 400, bad
    # A collection without time matches every `datetime` (Features Part 1, fc-time-response).
    timeless = _get(client, "/ogc/collections/parcels/items?datetime=2020-01-01").get_json()
    assert timeless["numberMatched"] == 3
    assert client.get("/ogc/collections/nothing/items").status_code == 404
    assert client.get("/ogc/collections/parcels/items/999999").status_code == 404
    assert client.get("/ogc/collections/parcels/items/abc").status_code == 404


def test_bbox_returns_exactly_the_features_that_intersect_it(client, db_session, inventory):
    far = f.parcel(db_session, shape=f.square(72.86, 40.56))
    lon, lat = 72.86, 40.56
    doc = _get(
        client,
        f"/ogc/collections/parcels/items?bbox={lon - 0.001},{lat - 0.001},"
        f"{lon + 0.001},{lat + 0.001}",
    ).get_json()
    assert [feature["id"] for feature in doc["features"]] == [far.id]
    assert doc["numberMatched"] == 1
    expected = db_session.execute(
        sa.text(
            "SELECT count(*) FROM parcel WHERE ST_Intersects(geom, "
            "ST_MakeEnvelope(72.7, 40.4, 72.805, 40.6, 4326))"
        )
    ).scalar()
    doc = _get(client, "/ogc/collections/parcels/items?bbox=72.7,40.4,72.805,40.6").get_json()
    assert doc["numberMatched"] == expected == len(doc["features"])
    # Inside the box, across its edge, and an L whose bounding box reaches into the box
    # while the L itself stays out of it.
    box = (72.900, 40.600, 72.902, 40.602)
    inside = f.parcel(db_session, shape=shapely.box(72.9005, 40.6005, 72.9010, 40.6010))
    across = f.parcel(db_session, shape=shapely.box(72.9015, 40.6005, 72.9030, 40.6010))
    f.parcel(
        db_session,
        shape=shapely.Polygon(
            [
                (72.8990, 40.5990),
                (72.9040, 40.5990),
                (72.9040, 40.6040),
                (72.9035, 40.6040),
                (72.9035, 40.5995),
                (72.8990, 40.5995),
            ]
        ),
    )
    doc = _get(client, "/ogc/collections/parcels/items?bbox=" + ",".join(map(str, box)))
    assert sorted(x["id"] for x in doc.get_json()["features"]) == [inside.id, across.id]


def test_property_filters_and_datetime(client, inventory):
    free = _get(client, "/ogc/collections/parcels/items?status=free").get_json()
    assert [x["id"] for x in free["features"]] == [inventory.free_parcel.id]
    assert (
        _get(client, "/ogc/collections/parcels/items?municipality=nookat").get_json()[
            "numberMatched"
        ]
        == 0
    )
    assert (
        _get(client, "/ogc/collections/parcels/items?designated_use=trade").get_json()[
            "numberMatched"
        ]
        == 3
    )
    during = _get(client, "/ogc/collections/contracts/items?datetime=2021-06-01").get_json()
    assert [x["properties"]["number"] for x in during["features"]] == [
        inventory.private_contract.number
    ]
    later = _get(client, "/ogc/collections/contracts/items?datetime=2025-01-01T00:00:00Z/..")
    assert [x["id"] for x in later.get_json()["features"]] == [inventory.company_contract.id]


def test_contracts_carry_their_objects_geometry_as_a_multipolygon(client, inventory):
    doc = _get(
        client, f"/ogc/collections/contracts/items/{inventory.company_contract.id}"
    ).get_json()
    assert doc["geometry"]["type"] == "MultiPolygon"
    assert doc["properties"]["rent_year"] == 120000
    assert doc["properties"]["objects"] == f"parcel:{inventory.company_parcel.ident_code}"


def test_number_matched_is_estimated_above_the_exact_limit(
    client, db_session, inventory, monkeypatch
):
    monkeypatch.setattr(features, "EXACT_COUNT_LIMIT", 0)
    db_session.execute(sa.text("ANALYZE parcel"))
    doc = _get(client, "/ogc/collections/parcels/items?limit=1").get_json()
    plan = db_session.execute(
        sa.text("EXPLAIN (FORMAT JSON) SELECT 1 FROM parcel p WHERE p.archived_at IS NULL")
    ).scalar()
    assert doc["numberMatched"] == max(plan[0]["Plan"]["Plan Rows"], 1)
    assert any(link["rel"] == "next" for link in doc["links"])


@pytest.mark.parametrize("collection", ["parcels", "buildings", "zones", "free-plots", "contracts"])
def test_each_collection_answers_with_features(client, inventory, collection):
    doc = _get(client, f"/ogc/collections/{collection}/items").get_json()
    assert doc["numberReturned"] >= 1


@pytest.mark.parametrize("collection", ["parcels", "buildings", "zones", "free-plots", "contracts"])
def test_every_document_answers_in_json_and_in_html(client, inventory, collection):
    item = _get(client, f"/ogc/collections/{collection}/items?limit=1").get_json()["features"][0][
        "id"
    ]
    paths = {
        "/ogc": "application/json",
        "/ogc/conformance": "application/json",
        "/ogc/collections": "application/json",
        f"/ogc/collections/{collection}": "application/json",
        f"/ogc/collections/{collection}/items": "application/geo+json",
        f"/ogc/collections/{collection}/items/{item}": "application/geo+json",
    }
    for path, media in paths.items():
        assert _get(client, path + "?f=json").mimetype == media, path
        page = _get(client, path + "?f=html")
        assert page.mimetype == "text/html" and "</html>" in page.get_data(as_text=True), path
        browser = _get(client, path, headers={"Accept": "text/html,application/xhtml+xml"})
        assert browser.mimetype == "text/html", path


@pytest.mark.parametrize("layer_name", ["parcels", "free-plots"])
def test_pages_chosen_on_the_keys_sql_equal_pages_chosen_on_the_full_rows(
    db_session, inventory, layer_name
):
    import dataclasses
    import json

    from inventory.services.ogc.params import ItemsQuery
    from inventory.services.public.layers import LAYERS

    for n in range(7):
        f.parcel(
            db_session,
            status=m.ParcelStatus.FREE if n % 2 else m.ParcelStatus.LEASED,
            shape=f.square(72.861 + n * 0.0004, 40.561),
        )
    archived = f.parcel(db_session, status=m.ParcelStatus.FREE, shape=f.square(72.862, 40.5614))
    archived.archived_at = sa.func.now()
    db_session.flush()
    layer = LAYERS[layer_name]
    assert layer.keys_sql
    full = dataclasses.replace(layer, keys_sql=None)
    queries = [
        ItemsQuery(limit=3),
        ItemsQuery(limit=3, offset=3),
        ItemsQuery(limit=2, bbox=(72.86, 40.56, 72.864, 40.562)),
        ItemsQuery(limit=2, offset=2, bbox=(72.86, 40.56, 72.864, 40.562)),
        ItemsQuery(filters={"status": "free"}),
        ItemsQuery(
            filters={
                "municipality": "osh",
                "designated_use": "trade",
                "land_category": "settlements",
            }
        ),
        ItemsQuery(filters={"ident_code": inventory.free_parcel.ident_code}),
    ]
    for query in queries:
        assert features.items(db_session, layer, query) == features.items(
            db_session, full, query
        ), query
    every = features.items(db_session, layer, ItemsQuery(limit=100, bbox=queries[2].bbox))
    ids = [feature["id"] for feature in json.loads(every.features)]
    assert ids == sorted(ids) and len(ids) >= 3 and archived.id not in ids
