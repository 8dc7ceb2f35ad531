"""A page's features go from PostgreSQL into the answer as the UTF-8 bytes it wrote, never
decoded into str and encoded again. The answer reads the same, and its ETag digests the
same text as when the features were str."""

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


def test_the_answer_splices_them_in_and_its_etag_digests_count_features_and_links(
    client, inventory
):
    response = client.get("/ogc/collections/parcels/items?limit=1000")

    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    doc = json.loads(response.data)
    assert doc["numberReturned"] == len(doc["features"]) >= 2
    assert "ул. Без границ, 1" in [x["properties"]["address"] for x in doc["features"]]
    # The ETag digests the count, the features and the links, the timestamp left out:
    # the same bytes as when the features were str.
    spliced = response.data[response.data.index(MARK) + len(MARK) : -1].decode()
    text = f"{doc['numberMatched']}{spliced}{json.dumps(doc['links'])}"
    digest = hashlib.sha256(b"application/geo+json")
    digest.update(text.encode())
    assert response.get_etag()[0] == digest.hexdigest()[:32]
    again = client.get(
        "/ogc/collections/parcels/items?limit=1000",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304
