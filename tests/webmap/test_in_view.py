"""GET /parcels/in-view.json: the visible parcels of a map view, nearest its centre first,
filtered as the map is, with the lessee masked as on the card."""

import pytest

from inventory import models as m
from inventory.services.public.in_view import MAX_IN_VIEW
from tests import factories as f
from tests.webmap.conftest import COMPANY_NAME, PRIVATE_NAME

#: A corner of the factory municipality no other factory parcel uses.
LON, LAT = 72.74, 40.555
VIEW = f"{LON - 0.002},{LAT - 0.0015},{LON + 0.002},{LAT + 0.0015}"


def _answer(client, bbox=VIEW, **params):
    response = client.get("/parcels/in-view.json", query_string={"bbox": bbox, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _row(session, n, **kw):
    """A parcel `n` steps of ~40 m east of the view's centre."""
    return f.parcel(
        session,
        shape=f.square(LON + n * 0.0005, LAT, 20),
        ident_code=f"5-08-01-0777-{n:04d}",
        **kw,
    )


def test_lists_the_parcels_of_the_view_nearest_its_centre_first(client, db_session):
    far, near, middle = _row(db_session, 3), _row(db_session, 0), _row(db_session, 1)
    outside = _row(db_session, 9)  # east of the view
    body = _answer(client, lang="en")
    ids = [hit["id"] for hit in body["results"]]
    assert ids == [near.id, middle.id, far.id] and outside.id not in ids
    assert body["more"] is False
    hit = body["results"][0]
    assert hit["ident_code"] == near.ident_code and len(hit["bbox"]) == 4
    assert hit["status_label"] == "Free, offered for lease"


def test_the_lessee_is_masked_as_on_the_card(client, db_session):
    person = f.lessee(db_session, kind=m.LesseeKind.INDIVIDUAL, name=PRIVATE_NAME)
    company = f.lessee(db_session, name=COMPANY_NAME, inn="01234567890123")
    private = _row(db_session, 0, status=m.ParcelStatus.LEASED)
    named = _row(db_session, 1, status=m.ParcelStatus.LEASED)
    f.contract(db_session, private, lessee=person)
    f.contract(db_session, named, lessee=company)
    response = client.get("/parcels/in-view.json", query_string={"bbox": VIEW, "lang": "ru"})
    lessees = {hit["id"]: hit["lessee"] for hit in response.get_json()["results"]}
    assert lessees[private.id] == {
        "kind": "individual",
        "private": True,
        "name": "Частное лицо",
        "inn": None,
    }
    assert lessees[named.id]["name"] == COMPANY_NAME
    assert PRIVATE_NAME not in response.get_data(as_text=True)


def test_follows_the_maps_filters_and_hides_archived_parcels(client, db_session):
    import datetime as dt

    free = _row(db_session, 0)
    disputed = _row(db_session, 1, status=m.ParcelStatus.DISPUTED)
    greening = _row(db_session, 2, designated_use=f.use(db_session, "greening"))
    _row(db_session, 3, archived_at=dt.datetime.now(dt.UTC))
    elsewhere = f.municipality(db_session, "nookat")
    other = f.parcel(db_session, elsewhere, shape=f.square(LON - 0.0005, LAT, 20))

    def ids(**params):
        return {hit["id"] for hit in _answer(client, **params)["results"]}

    assert ids() == {free.id, disputed.id, greening.id, other.id}
    assert ids(status="disputed") == {disputed.id}
    assert ids(use="greening") == {greening.id}
    assert ids(m="osh") == {free.id, disputed.id, greening.id}


def test_at_most_fifty_and_it_says_there_are_more(client, db_session):
    for n in range(MAX_IN_VIEW + 2):
        f.parcel(
            db_session,
            shape=f.square(LON - 0.0015 + (n % 10) * 0.0003, LAT - 0.001 + (n // 10) * 0.0003, 10),
        )
    body = _answer(client)
    assert len(body["results"]) == MAX_IN_VIEW and body["more"] is True


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"bbox": "1,2,3"}, "bbox", "west,south,east,north"),
        ({"bbox": "73,40,72,41"}, "bbox", "west,south,east,north"),
        ({"bbox": VIEW, "status": "sold"}, "status", "sold"),
    ],
)
def test_a_bad_view_or_status_is_a_clear_400(client, params, field, words):
    response = client.get(
        "/parcels/in-view.json", query_string=params, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == field and words in body["message"]


def test_the_error_speaks_the_readers_language(client):
    response = client.get(
        "/parcels/in-view.json",
        query_string={"bbox": "x", "lang": "ru"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 400
    assert "запад" in response.get_data(as_text=True)
