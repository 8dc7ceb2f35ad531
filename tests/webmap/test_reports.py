"""Citizen reports: filed as pending, public only once published, never with the contact."""

from __future__ import annotations

import io
import time

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.public import reports
from tests import factories as f
from webmap.forms import start_token

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 100
CONTACT = "+996 700 111 222"
ROLE = m.Role.OFFICER


def _form(app, **fields):
    """A form as a person sends it: started a minute ago, honeypot empty."""
    data = {
        "text": "Киоск на газоне",
        "contact": CONTACT,
        "website": "",
        "started": start_token(app.config["SECRET_KEY"], time.time() - 60),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def _reports(db_session):
    return db_session.scalars(sa.select(m.CitizenReport).order_by(m.CitizenReport.id)).all()


def _post(client, data, address="203.0.113.7"):
    return client.post(
        "/report?lang=en",
        data=data,
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": address},
    )


def test_a_report_about_a_parcel_is_stored_pending_with_a_random_photo_name(
    app, client, db_session
):
    parcel = f.parcel(db_session)
    photo = (io.BytesIO(JPEG), "../../../etc/my holiday.jpg")
    response = _post(client, _form(app, parcel=parcel.id, photo=photo))
    assert response.status_code == 302 and "/report/sent" in response.headers["Location"]
    [report] = _reports(db_session)
    assert (report.status, report.parcel_id, report.contact) == ("pending", parcel.id, CONTACT)
    assert report.municipality_id == parcel.municipality_id
    assert report.photo_path.startswith("reports/") and report.photo_path.endswith(".jpg")
    assert "holiday" not in report.photo_path and ".." not in report.photo_path
    with open(f"{app.config['UPLOAD_DIR']}/{report.photo_path}", "rb") as handle:
        assert handle.read() == JPEG
    assert len(report.client_hash) == 64 and "203.0.113.7" not in report.client_hash
    assert "received" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_report_about_a_point_finds_its_municipality(app, client, db_session):
    osh = f.municipality(db_session)
    assert _post(client, _form(app, lon="72.8", lat="40.53")).status_code == 302
    [report] = _reports(db_session)
    assert report.municipality_id == osh.id and report.parcel_id is None
    assert report.location is not None


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"lon": "10.0", "lat": "10.0"}, "outside the municipalities"),
        ({}, "Choose the place on the map"),
        ({"parcel": "99999999"}, "no such parcel"),
        ({"lon": "72.8", "lat": "40.53", "text": ""}, "describe what you saw"),
        ({"lon": "72.8", "lat": "40.53", "text": "x" * 5001}, "too long"),
    ],
)
def test_a_report_without_a_place_or_text_is_refused(app, client, db_session, fields, message):
    f.municipality(db_session)
    response = _post(client, _form(app, **fields))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _reports(db_session) == []


@pytest.mark.parametrize(
    "content, name",
    [
        (b"GIF89a" + b"\x00" * 50, "photo.jpg"),  # the name lies; the bytes decide
        (b"<?php echo 1; ?>", "photo.png"),
        (b"%PDF-1.7", "scan.pdf"),
    ],
)
def test_a_photo_that_is_not_jpeg_png_or_webp_is_refused(app, client, db_session, content, name):
    parcel = f.parcel(db_session)
    response = _post(client, _form(app, parcel=parcel.id, photo=(io.BytesIO(content), name)))
    assert response.status_code == 400
    assert "must be a JPEG, PNG or WebP" in response.get_data(as_text=True)
    assert _reports(db_session) == []


def test_a_photo_over_5_mb_is_refused(app, client, db_session):
    parcel = f.parcel(db_session)
    big = JPEG + b"\x00" * (5 * 1024 * 1024)
    response = _post(client, _form(app, parcel=parcel.id, photo=(io.BytesIO(big), "a.jpg")))
    assert response.status_code == 400
    assert "larger than 5 MB" in response.get_data(as_text=True)
    assert _reports(db_session) == []


@pytest.mark.parametrize("content", [JPEG, PNG, WEBP])
def test_each_allowed_photo_type_is_recognised_by_its_bytes(content):
    assert reports.photo_kind(content) in {"jpg", "png", "webp"}


def test_the_translated_error_follows_the_language(app, client, db_session):
    parcel = f.parcel(db_session)
    data = _form(app, parcel=parcel.id, photo=(io.BytesIO(b"GIF89a"), "a.gif"))
    response = client.post("/report?lang=ru", data=data, content_type="multipart/form-data")
    assert "JPEG, PNG или WebP" in response.get_data(as_text=True)


def test_a_client_may_file_five_reports_an_hour(app, client, db_session):
    parcel = f.parcel(db_session)
    for _ in range(reports.RATE_LIMIT):
        assert _post(client, _form(app, parcel=parcel.id)).status_code == 302
    refused = _post(client, _form(app, parcel=parcel.id))
    assert refused.status_code == 429
    assert "last hour" in refused.get_data(as_text=True)
    assert len(_reports(db_session)) == reports.RATE_LIMIT
    # Another address is another client.
    assert _post(client, _form(app, parcel=parcel.id), address="198.51.100.1").status_code == 302


def test_a_filled_honeypot_is_thanked_but_nothing_is_stored(app, client, db_session):
    parcel = f.parcel(db_session)
    response = _post(client, _form(app, parcel=parcel.id, website="http://spam.example"))
    assert response.status_code == 302 and "/report/sent" in response.headers["Location"]
    assert _reports(db_session) == []


@pytest.mark.parametrize("started", ["now", "forged", None])
def test_a_form_sent_back_too_quickly_or_without_a_valid_start_is_refused(
    app, client, db_session, started
):
    parcel = f.parcel(db_session)
    token = {
        "now": start_token(app.config["SECRET_KEY"]),
        "forged": start_token("another secret", time.time() - 60),
        None: None,
    }[started]
    data = _form(app, parcel=parcel.id)
    data.pop("started")
    if token:
        data["started"] = token
    response = _post(client, data)
    assert response.status_code == 400 and "too quickly" in response.get_data(as_text=True)
    assert _reports(db_session) == []


def test_the_form_needs_a_csrf_token(app, client, db_session):
    parcel = f.parcel(db_session)
    app.config["WTF_CSRF_ENABLED"] = True
    response = _post(client, _form(app, parcel=parcel.id))
    assert response.status_code == 400
    assert _reports(db_session) == []
    form = client.get(f"/report?parcel={parcel.id}&lang=en").get_data(as_text=True)
    assert 'name="csrf_token"' in form and parcel.ident_code in form


def test_only_published_reports_are_public_and_never_with_the_contact(app, client, db_session):
    parcel = f.parcel(db_session)
    for text in ("<script>alert(1)</script> published", "pending one", "rejected one"):
        _post(client, _form(app, parcel=parcel.id, text=text, photo=(io.BytesIO(PNG), "p.png")))
    published, pending, rejected = _reports(db_session)
    user = None  # the moderation UI passes the officer's id; the service accepts none too
    reports.publish(db_session, published.id, user)
    reports.reject(db_session, rejected.id, user, note="duplicate")

    html = client.get(f"/parcels/{parcel.id}?lang=en").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; published" in html
    assert "<script>alert(1)" not in html
    assert "pending one" not in html and "rejected one" not in html
    assert CONTACT not in html
    assert CONTACT not in client.get(f"/parcels/{parcel.id}.json").get_data(as_text=True)
    assert client.get(f"/reports/{published.id}/photo").data == PNG
    assert client.get(f"/reports/{pending.id}/photo").status_code == 404
    assert client.get(f"/reports/{rejected.id}/photo").status_code == 404


def test_publish_and_reject_record_who_and_when(db_session):
    parcel = f.parcel(db_session)
    report = reports.submit_report(
        db_session,
        text="Парковка на газоне",
        place=reports.Place(parcel_id=parcel.id),
        client="h" * 64,
        upload_dir="/nonexistent",
    )
    user = m.User(
        username="officer-report-test",
        password_hash="x",
        role=ROLE,
        municipality_id=parcel.municipality_id,
    )
    db_session.add(user)
    db_session.flush()
    reports.publish(db_session, report.id, user.id)
    assert (report.status, report.moderated_by_id) == ("published", user.id)
    assert report.moderated_at is not None
    reports.reject(db_session, report.id, user.id, note="on second thought")
    assert (report.status, report.moderation_note) == ("rejected", "on second thought")
    assert reports.public_reports(db_session, parcel.id) == []


def test_moderating_an_unknown_report_is_not_found(db_session):
    from inventory.services.errors import NotFound

    with pytest.raises(NotFound):
        reports.publish(db_session, 99999999, None)
    with pytest.raises(NotFound):
        reports.reject(db_session, 99999999, None)
