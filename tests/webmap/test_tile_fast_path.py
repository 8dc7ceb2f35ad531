"""A resident's kept tile is answered before Flask runs (inventory/web/tile_fast_path.py),
with exactly the answer Flask gives for it; everything else still reaches Flask."""

import logging

import pytest

from inventory.services.public import tiles
from inventory.web.tile_fast_path import TileFastPath
from tests import factories as f
from tests.webmap.conftest import tile_path


@pytest.fixture()
def fast_path(app) -> TileFastPath:
    assert isinstance(app.wsgi_app, TileFastPath)
    return app.wsgi_app


def through_flask(app, fast_path, fetch):
    """What Flask answers, the fast path set aside for one request."""
    app.wsgi_app = fast_path.wsgi_app
    try:
        return fetch()
    finally:
        app.wsgi_app = fast_path


def same_answer(fast, flask):
    """Status, body and every header equal, except the request id each made."""
    assert fast.status == flask.status
    assert fast.data == flask.data

    def headers(response):
        return sorted((k, v) for k, v in response.headers.items() if k != "X-Request-ID")

    assert headers(fast) == headers(flask)
    assert "X-Request-ID" in fast.headers and "X-Request-ID" in flask.headers


def test_a_kept_tile_is_answered_by_the_fast_path_as_flask_answers_it(
    app, client, fast_path, company_lease
):
    path = tile_path(company_lease)
    made = client.get(path)  # a miss: Flask makes and keeps the tile
    assert made.status_code == 200 and fast_path.answered == 0
    kept = client.get(path)
    assert fast_path.answered == 1
    same_answer(kept, through_flask(app, fast_path, lambda: client.get(path)))
    assert kept.data == made.data and kept.headers["ETag"] == made.headers["ETag"]
    assert "Set-Cookie" not in kept.headers and "Date" not in kept.headers


def test_an_unchanged_kept_tile_is_a_304(app, client, fast_path, company_lease):
    path = tile_path(company_lease)
    etag = client.get(path).headers["ETag"]
    fetch = lambda: client.get(path, headers={"If-None-Match": etag})  # noqa: E731
    unchanged = fetch()
    assert unchanged.status_code == 304 and fast_path.answered == 1
    same_answer(unchanged, through_flask(app, fast_path, fetch))


def test_head_of_a_kept_tile(app, client, fast_path, company_lease):
    path = tile_path(company_lease)
    client.get(path)
    head = client.head(path)
    assert head.status_code == 200 and head.data == b"" and fast_path.answered == 1
    same_answer(head, through_flask(app, fast_path, lambda: client.head(path)))


def test_a_kept_empty_tile_is_a_204_without_content_type(app, client, fast_path, db_session):
    path = "/tiles/buildings/16/0/0.pbf"  # the far north-west corner of the world
    assert client.get(path).status_code == 204
    empty = client.get(path)
    assert empty.status_code == 204 and fast_path.answered == 1
    assert "Content-Type" not in empty.headers
    same_answer(empty, through_flask(app, fast_path, lambda: client.get(path)))


def test_the_clients_sane_request_id_is_returned(client, fast_path, company_lease):
    path = tile_path(company_lease)
    client.get(path)
    given = client.get(path, headers={"X-Request-ID": "map-view-0001"})
    odd = client.get(path, headers={"X-Request-ID": "<script>"})
    assert fast_path.answered == 2
    assert given.headers["X-Request-ID"] == "map-view-0001"
    assert odd.headers["X-Request-ID"] != "<script>" and len(odd.headers["X-Request-ID"]) == 32


def test_an_officers_tile_reaches_flask_and_stays_private(client, fast_path, people, company_lease):
    path = tile_path(company_lease)
    client.get(path)
    officer = f.signed_in(client, people["officer_osh"]).get(path)
    assert officer.status_code == 200 and fast_path.answered == 0
    assert "private" in officer.headers["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    ["/tiles/parcels/23/0/0.pbf", "/tiles/parcels/3/8/0.pbf", "/tiles/buildings/2/0/4.pbf"],
)
def test_an_impossible_tile_is_still_flasks_404(client, fast_path, path):
    assert client.get(path).status_code == 404
    assert fast_path.answered == 0


def test_a_query_string_or_a_low_zoom_goes_to_flask(client, fast_path, company_lease):
    path = tile_path(company_lease)
    client.get(path)
    assert client.get(path + "?lang=ru").status_code == 200
    assert client.get(f"/tiles/parcels/{tiles.MIN_ZOOM - 1}/0/0.pbf").status_code == 204
    assert fast_path.answered == 0


def test_a_database_error_is_left_to_flask(app, client, fast_path, company_lease, monkeypatch):
    import sqlalchemy as sa

    from inventory.web import tile_fast_path

    path = tile_path(company_lease)
    client.get(path)

    def broken(read, database=None):
        raise sa.exc.OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(tile_fast_path, "lone_read", broken)
    assert client.get(path).status_code == 200  # Flask's own read still works here
    assert fast_path.answered == 0


def test_a_slow_kept_tile_writes_its_access_line(client, fast_path, company_lease, caplog):
    from inventory.web import tile_fast_path

    path = tile_path(company_lease)
    client.get(path)
    quiet = tile_fast_path._quiet
    try:
        tile_fast_path._quiet = lambda path, status, started: False
        with caplog.at_level(logging.INFO, logger="inventory.access"):
            client.get(path, headers={"X-Request-ID": "slow-tile-0001"})
    finally:
        tile_fast_path._quiet = quiet
    assert fast_path.answered == 1
    assert [r.getMessage() for r in caplog.records if r.name == "inventory.access"] == [
        f"GET {path} 200"
    ]
