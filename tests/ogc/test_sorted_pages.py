"""A page filtered and sorted on a parcel's own fields (areas, address) is chosen on the
layer's keys SQL, without the current lease of every match, and is the page the plain
way gives: every feature read, filtered, sorted and sliced, order and count included."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.ogc import features
from inventory.services.ogc.params import parse_items_query
from inventory.services.public.layers import LAYERS
from tests import factories as f

BOX = (72.86, 40.56, 72.866, 40.563)


@pytest.fixture()
def block(db_session, inventory):
    """Parcels in BOX of several sizes (two of the same, so the id breaks the tie), with
    and without a documented area; leased, free, in municipal use; one archived, one
    leased through its active contract while its own status still says free."""
    made = []
    for n, (metres, status, documented) in enumerate(
        [
            (30, m.ParcelStatus.LEASED, Decimal("900.00")),
            (45, m.ParcelStatus.FREE, None),
            (30, m.ParcelStatus.LEASED, Decimal("905.50")),
            (20, m.ParcelStatus.MUNICIPAL_USE, Decimal("400.00")),
            (60, m.ParcelStatus.LEASED, None),
            (25, m.ParcelStatus.FREE, Decimal("625.00")),
            (38, m.ParcelStatus.LEASED, Decimal("1444.00")),
        ]
    ):
        made.append(
            f.parcel(
                db_session,
                status=status,
                documented_area=documented,
                address=f"ул. Курманжан Датка, {n % 3}",
                shape=f.square(72.861 + n * 0.0007, 40.561, metres=metres),
            )
        )
    f.contract(db_session, made[5])  # free by its own status, leased to the public
    archived = f.parcel(
        db_session, status=m.ParcelStatus.LEASED, shape=f.square(72.865, 40.562, metres=70)
    )
    archived.archived_at = sa.func.now()
    db_session.flush()
    return made


def _every(client, collection: str) -> list[dict]:
    response = client.get(f"/ogc/collections/{collection}/items?limit=10000")
    assert response.status_code == 200
    return response.get_json()["features"]


def _plain(features_: list[dict], status: str, keys: list[tuple[str, bool]], box=None):
    """The features filtered by status (and by box, on their coordinates) and sorted by
    `keys` then id, no value last either way (as the API asks PostgreSQL for)."""

    def inside(feature: dict) -> bool:
        if box is None:
            return True
        if feature["geometry"] is None:
            return False
        points = [p for polygon in feature["geometry"]["coordinates"] for p in polygon[0]]
        return not (
            max(x for x, _ in points) < box[0]
            or min(x for x, _ in points) > box[2]
            or max(y for _, y in points) < box[1]
            or min(y for _, y in points) > box[3]
        )

    chosen = [x for x in features_ if x["properties"]["status"] == status and inside(x)]
    chosen.sort(key=lambda x: x["id"])
    for name, descending in reversed(keys):
        present = [x for x in chosen if x["properties"][name] is not None]
        absent = [x for x in chosen if x["properties"][name] is None]
        present.sort(key=lambda x: x["properties"][name], reverse=descending)
        chosen = present + absent
    return chosen


@pytest.mark.parametrize(
    ("status", "sortby", "keys", "box"),
    [
        ("leased", "-meas_area,id", [("meas_area", True)], BOX),
        ("leased", "meas_area", [("meas_area", False)], BOX),
        ("leased", "-doc_area", [("doc_area", True)], None),
        ("free", "doc_area,-meas_area", [("doc_area", False), ("meas_area", True)], None),
        ("leased", "address,-meas_area", [("address", False), ("meas_area", True)], BOX),
    ],
)
@pytest.mark.parametrize("from_key_rows", [True, False])
def test_a_filtered_and_sorted_page_is_the_plain_ordering_of_every_feature(
    client, block, monkeypatch, status, sortby, keys, box, from_key_rows
):
    monkeypatch.setattr(features, "_built_from_key_rows", lambda *args: from_key_rows)
    # Collation aside: the addresses differ only in their last digit, so any collation
    # orders them as Python does.
    every = _every(client, "parcels")
    expected = _plain(every, status, keys, box)
    assert len(expected) >= 3
    pages = []
    for offset in range(0, len(expected) + 2, 2):
        query = {"filter": f"status='{status}'", "sortby": sortby, "limit": 2, "offset": offset}
        if box:
            query["bbox"] = ",".join(str(v) for v in box)
        response = client.get("/ogc/collections/parcels/items?" + urlencode(query))
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        assert page["numberMatched"] == len(expected)
        pages += page["features"]
    assert [x["id"] for x in pages] == [x["id"] for x in expected]
    assert pages == expected  # the same properties and geometry, the lease included


def test_a_sorted_page_built_from_its_key_rows_is_the_page_built_by_id(
    db_session, block, monkeypatch
):
    layer = LAYERS["parcels"]
    query = parse_items_query(
        layer, {"filter": "status='leased'", "sortby": "-meas_area", "limit": "1000"}
    )
    assert features._built_from_key_rows(query, 5, index_rows=1_500)
    assert not features._built_from_key_rows(query, 100_000, index_rows=100_000)
    # The planner expects few matches of a filter it cannot judge, but its index finds
    # many rows, or it reads the whole table: by ids.
    assert not features._built_from_key_rows(query, 5, index_rows=100_000)
    assert not features._built_from_key_rows(query, 5, index_rows=None)
    unsorted = parse_items_query(layer, {"filter": "status='leased'", "limit": "1000"})
    assert not features._built_from_key_rows(unsorted, 5, index_rows=1_500)
    # The fixture's few rows are read whole: built from key rows here on purpose.
    monkeypatch.setattr(features, "_built_from_key_rows", lambda *args: True)
    for name in ("parcels", "free-plots"):
        layer = LAYERS[name]
        by_ids = dataclasses.replace(layer, keys_page_sql=None)
        for args in ({"sortby": "-meas_area", "limit": "3"}, {"sortby": "address,-doc_area"}):
            query = parse_items_query(layer, args)
            page = features.items(db_session, layer, query)
            assert page == features.items(db_session, by_ids, query), (name, args)
            assert page.returned


def test_the_rows_an_index_finds_are_read_from_the_plan_of_the_layers_table():
    lease = {"Node Type": "Index Only Scan", "Relation Name": "parcel_current_lease"}
    bitmap = {
        "Node Type": "Bitmap Heap Scan",
        "Relation Name": "parcel",
        "Plan Rows": 9,
        "Plans": [
            {"Node Type": "BitmapOr", "Plan Rows": 1567},
            {**lease, "Parent Relationship": "SubPlan", "Plan Rows": 1},
        ],
    }
    assert features._index_rows(bitmap, "parcel") == 1567
    joined = {"Node Type": "Nested Loop", "Plans": [{**lease, "Plan Rows": 1}, bitmap]}
    assert features._index_rows(joined, "parcel") == 1567
    whole = {"Node Type": "Seq Scan", "Relation Name": "parcel", "Plan Rows": 25}
    assert features._index_rows(whole, "parcel") is None
    assert features._index_rows({"Node Type": "Limit", "Plans": [whole]}, "parcel") is None


def test_the_keys_sql_serves_filters_and_sorts_on_the_parcels_own_fields(db_session, block):
    layer = LAYERS["parcels"]
    assert {"address", "doc_area", "meas_area"} <= set(layer.key_fields)
    full = dataclasses.replace(layer, keys_sql=None)
    # The sorted pages here are built from their key rows (a few matches); the same
    # pages chosen by id and looked up again are the reference too.
    by_ids = dataclasses.replace(layer, keys_page_sql=None)
    queries = [
        {
            "filter": "status='leased'",
            "sortby": "-meas_area,id",
            "bbox": "72.86,40.56,72.866,40.563",
        },
        {"filter": "meas_area > 800 AND doc_area IS NULL", "sortby": "-meas_area"},
        {"filter": "address LIKE 'ул. Курманжан%'", "sortby": "-doc_area,address", "limit": "3"},
        {"sortby": "meas_area", "limit": "2", "offset": "1", "bbox": "72.86,40.56,72.866,40.563"},
    ]
    for args in queries:
        query = parse_items_query(layer, args)
        on_keys = features.items(db_session, layer, query)
        assert on_keys == features.items(db_session, full, query), args
        assert on_keys == features.items(db_session, by_ids, query), args
        assert on_keys.returned and on_keys.matched_exact
    # The page's rows still carry their lease: the parcel leased by its contract alone.
    page = features.items(db_session, layer, parse_items_query(layer, queries[0]))
    contracts = {x["id"]: x["properties"]["contract"] for x in json.loads(page.features)}
    assert contracts[block[5].id] is not None
