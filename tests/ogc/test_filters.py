"""Features Part 3: property filters by property name (old names kept), CQL2 text and
JSON, spatial and temporal functions; sorting and property selection."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.ogc.conftest import FRACTIONAL_AREA, WHOLE_AREA


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _ids(client, url):
    return sorted(x["id"] for x in _json(client, url)["features"])


def _cql(client, collection, text, lang="cql2-text", extra=""):
    return _json(
        client,
        f"/ogc/collections/{collection}/items?filter-lang={lang}&filter={quote(text)}{extra}",
    )


def test_property_names_filter_and_the_old_names_still_do(client, inventory):
    code = inventory.free_parcel.ident_code
    by_name = _ids(client, "/ogc/collections/parcels/items?munic=osh&ident_code=" + code)
    by_alias = _ids(client, "/ogc/collections/parcels/items?municipality=osh&ident_code=" + code)
    assert by_name == by_alias == [inventory.free_parcel.id]
    assert _ids(client, "/ogc/collections/parcels/items?land_use=trade") == _ids(
        client, "/ogc/collections/parcels/items?designated_use=trade"
    )
    # A field outside the parcels' keys SQL (the lessee) filters too.
    leased = _json(client, "/ogc/collections/contracts/items?area=140.7")
    assert [x["properties"]["area"] for x in leased["features"]] == [FRACTIONAL_AREA]
    assert client.get("/ogc/collections/parcels/items?colour=red").status_code == 400


def test_cql2_text_and_json_select_the_same_features(client, inventory):
    text = _cql(client, "contracts", "area > 700 AND area < 1000")
    as_json = _cql(
        client,
        "contracts",
        json.dumps(
            {
                "op": "and",
                "args": [
                    {"op": ">", "args": [{"property": "area"}, 700]},
                    {"op": "<", "args": [{"property": "area"}, 1000]},
                ],
            }
        ),
        lang="cql2-json",
    )
    areas = sorted(x["properties"]["area"] for x in text["features"])
    assert areas == [WHOLE_AREA, 900.0]
    assert text["numberMatched"] == as_json["numberMatched"] == 2
    assert _cql(client, "parcels", "status IN ('free') AND address LIKE 'ул. Мас%'")["features"][0][
        "id"
    ] == (inventory.free_parcel.id)
    free = _json(client, "/ogc/collections/parcels/items?status=free")["numberMatched"]
    assert _cql(client, "parcels", "CASEI(status) = casei('FREE')")["numberMatched"] == free
    assert _cql(client, "contracts", "area BETWEEN 140 AND 141")["numberMatched"] == 1
    assert _cql(client, "contracts", "NOT (basis_ref IS NULL)")["numberMatched"] >= 2


@pytest.mark.parametrize(
    "bad",
    [
        "area >",
        "nothing = 1",
        "area = 'many'",
        "T_OVERLAPS(start_date, INTERVAL('2020-01-01','2020-12-31'))",
        "area + 1 > 2",
    ],
)
def test_a_filter_that_cannot_be_read_is_400_naming_the_parameter(client, inventory, bad):
    response = client.get(f"/ogc/collections/contracts/items?filter={quote(bad)}")
    assert response.status_code == 400
    assert "filter" in response.get_data(as_text=True) or "nothing" in response.get_data(
        as_text=True
    )


def test_s_intersects_finds_the_parcels_a_polygon_touches(client, inventory):
    feature = _json(client, f"/ogc/collections/parcels/items/{inventory.free_parcel.id}")
    lon, lat = feature["geometry"]["coordinates"][0][0][0]
    corners = [(lon - 1e-5, lat - 1e-5), (lon + 1e-5, lat - 1e-5), (lon + 1e-5, lat + 1e-5)]
    box = "POLYGON((" + ",".join(f"{x} {y}" for x, y in [*corners, corners[0]]) + "))"
    found = _cql(client, "parcels", f"S_INTERSECTS(geometry, {box})")
    assert [x["id"] for x in found["features"]] == [inventory.free_parcel.id]
    as_json = _cql(
        client,
        "parcels",
        json.dumps(
            {
                "op": "s_intersects",
                "args": [
                    {"property": "geometry"},
                    {"bbox": [lon - 1e-5, lat - 1e-5, lon + 1e-5, lat + 1e-5]},
                ],
            }
        ),
        lang="cql2-json",
    )
    assert [x["id"] for x in as_json["features"]] == [inventory.free_parcel.id]
    far = _cql(client, "parcels", "S_INTERSECTS(geom, BBOX(0, 0, 0.01, 0.01))")
    assert far["numberMatched"] == 0


def test_temporal_filters_on_dates(client, inventory):
    # The private contract ran 2020-01-01 .. 2022-12-31.
    number = inventory.private_contract.number
    during = _cql(
        client, "contracts", "T_INTERSECTS(start_date, INTERVAL('2019-06-01','2020-06-01'))"
    )
    assert [x["properties"]["number"] for x in during["features"]] == [number]
    before = _cql(client, "contracts", "end_date < DATE('2023-01-01')")
    assert [x["properties"]["number"] for x in before["features"]] == [number]
    after = _cql(
        client,
        "contracts",
        json.dumps(
            {
                "op": "t_before",
                "args": [{"property": "end_date"}, {"date": "2023-01-01"}],
            }
        ),
        lang="cql2-json",
    )
    assert [x["properties"]["number"] for x in after["features"]] == [number]


def test_sortby_orders_pages_and_keeps_paging_stable(client, inventory):
    up = _json(client, "/ogc/collections/contracts/items?sortby=area")["features"]
    areas = [x["properties"]["area"] for x in up]
    assert areas == sorted(areas, key=lambda a: (a is None, a))
    down = _json(client, "/ogc/collections/contracts/items?sortby=-area")["features"]
    # No value comes last either way: "-area" lists the largest areas first, not the
    # contracts without one (PostgreSQL alone would put them first going down).
    assert None in areas
    assert [x["properties"]["area"] for x in down] == sorted(
        (a for a in areas if a is not None), reverse=True
    ) + [a for a in areas if a is None]
    pages = [
        x["id"]
        for offset in range(0, 5)
        for x in _json(
            client, f"/ogc/collections/parcels/items?sortby=-address&limit=1&offset={offset}"
        )["features"]
    ]
    every = [
        x["id"] for x in _json(client, "/ogc/collections/parcels/items?sortby=-address")["features"]
    ]
    assert pages == every[:5]
    assert client.get("/ogc/collections/parcels/items?sortby=colour").status_code == 400


def test_properties_returns_only_the_fields_asked_for(client, inventory):
    doc = _json(client, "/ogc/collections/parcels/items?properties=ident_code,status")
    assert all(set(x["properties"]) == {"ident_code", "status"} for x in doc["features"])
    assert client.get("/ogc/collections/parcels/items?properties=colour").status_code == 400
