"""A page's features go from PostgreSQL into the answer as the UTF-8 bytes it wrote, never
decoded into str and encoded again; the answer and its ETag are what they were when the
features were text."""

from __future__ import annotations

import hashlib
import json

from inventory.services.ogc import features
from inventory.services.ogc.params import ItemsQuery
from inventory.services.public.layers import LAYERS

MARK = b', "features": '


def test_a_page_hands_its_features_over_as_the_bytes_postgresql_wrote(db_session, inventory):
    page = features.items(db_session, LAYERS["parcels"], ItemsQuery(limit=1000))

    assert isinstance(page.features, bytes)
    addresses = [x["properties"]["address"] for x in json.loads(page.features.decode())]
    assert "ул. Без границ, 1" in addresses
    assert len(addresses) == page.returned


def test_the_answer_splices_them_in_and_keeps_the_etag_it_had_as_text(client, inventory):
    response = client.get("/ogc/collections/parcels/items?limit=1000")

    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    doc = json.loads(response.data)
    assert doc["numberReturned"] == len(doc["features"]) >= 2
    assert "ул. Без границ, 1" in [x["properties"]["address"] for x in doc["features"]]
    # The ETag digests the count, the features and the links, the timestamp left out,
    # as when the features were str: a cache's validators stay good across the change.
    spliced = response.data[response.data.index(MARK) + len(MARK) : -1].decode()
    text = f"{doc['numberMatched']}{spliced}{json.dumps(doc['links'])}"
    digest = hashlib.blake2b(digest_size=16)
    digest.update(b"application/geo+json")
    digest.update(text.encode())
    assert response.get_etag()[0] == digest.hexdigest()
    again = client.get(
        "/ogc/collections/parcels/items?limit=1000",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304
