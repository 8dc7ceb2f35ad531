"""Checks written once and used by every page that needs them: the base map, the hash
kept of a client's address, and the check of an uploaded image."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services import photos
from inventory.services.errors import ValidationError
from inventory.services.privacy import client_hash
from inventory.services.public import reports
from inventory.web.maps import basemap
from tests import factories as f

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 100


@pytest.mark.parametrize("setting", [None, "", "  ", "none", "None", " OFF "])
def test_a_base_map_set_empty_none_or_off_is_no_base_map(setting):
    assert basemap(setting) is None


def test_a_base_map_has_its_url_origin_and_credit():
    osm = basemap(" https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png ")
    assert osm.url == "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert osm.origin == "https://*.tile.openstreetmap.org"
    assert osm.attribution == "© OpenStreetMap contributors"
    own = basemap("/tiles/{z}/{x}/{y}.png")  # served by this site: no outside origin
    assert own.origin is None and own.attribution == "base map"


@pytest.mark.parametrize("path", ["/", "/office/parcels/{parcel}/map", "/audit/flags/map.js"])
def test_no_map_loads_a_base_map_switched_off(app, client, db_session, people, osh, path):
    parcel = f.parcel(db_session, osh)
    f.signed_in(client, people["officer_osh"])
    app.config["BASEMAP_URL"] = " Off "
    response = client.get(path.format(parcel=parcel.id))
    assert response.status_code == 200
    assert "openstreetmap" not in response.get_data(as_text=True).lower()
    assert "openstreetmap" not in response.headers["Content-Security-Policy"]


def test_a_client_address_is_kept_only_as_a_keyed_hash_of_its_own_use():
    signing_in = client_hash("203.0.113.7", "secret")
    reporting = client_hash("203.0.113.7", "secret", reports.CLIENT_PURPOSE)
    assert len(signing_in) == len(reporting) == 64
    assert signing_in != reporting != client_hash("203.0.113.7", "other secret")
    assert client_hash(None, "secret") == client_hash("", "secret")


def test_a_report_is_counted_by_the_hash_of_its_address_for_reports(app, client, db_session):
    from tests.webmap.test_reports import _form, _post

    parcel = f.parcel(db_session)
    assert _post(client, _form(app, parcel=parcel.id), address="198.51.100.9").status_code == 302
    stored = db_session.scalars(sa.select(m.CitizenReport)).one()
    secret = app.config["SECRET_KEY"]
    assert stored.client_hash == client_hash("198.51.100.9", secret, reports.CLIENT_PURPOSE)


def test_the_size_an_image_may_have_is_its_use_s():
    six_mb = JPEG + b"\0" * (6 * 1024 * 1024)
    assert photos.check_image(six_mb, photos.INSPECTION_PHOTO, file="a.jpg").extension == "jpg"
    with pytest.raises(ValidationError, match="larger than 5 MB") as refused:
        photos.check_image(six_mb, reports.REPORT_PHOTO)
    assert refused.value.field == "photo"


@pytest.mark.parametrize("rules", [photos.INSPECTION_PHOTO, reports.REPORT_PHOTO])
def test_every_use_refuses_what_is_not_a_jpeg_png_or_webp_by_its_bytes(rules):
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        photos.check_image(b"GIF89a" + b"\0" * 20, rules, file="a.jpg")
    webp = photos.check_image(b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 20, rules, file="a")
    assert (webp.content_type, webp.suffix) == ("image/webp", ".webp")
