"""Inspections from a phone: photos checked by their bytes, the phone's position kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services import photos
from tests import factories as f

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
WEBP = b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 100


def _visit(client, parcel, *uploads, **extra):
    data = {
        "parcel_id": str(parcel.id),
        "inspected_on": "2026-05-14",
        "inspector": "А. Осмонов",
        "observed_use": "trade",
        "occupied": "on",
        "note": "киоск на газоне",
        **extra,
    }
    data["photos"] = [(io.BytesIO(body), name) for body, name in uploads]
    return client.post(
        "/office/inspections/visit?lang=en", data=data, content_type="multipart/form-data"
    )


def test_a_visit_with_photos_and_position_is_saved(app, db_session, sign_in, osh, tmp_path):
    parcel = f.parcel(db_session, osh)
    answer = _visit(
        sign_in("officer_osh"),
        parcel,
        (JPEG, "kiosk.jpg"),
        (PNG, "lawn.png"),
        (WEBP, "gate.webp"),
        lon="72.8001",
        lat="40.5301",
    )
    assert answer.status_code == 302
    inspection = db_session.scalars(sa.select(m.Inspection)).one()
    assert inspection.occupied and inspection.observed_use.code == "trade"
    assert inspection.position is not None
    stored = db_session.scalars(sa.select(m.InspectionPhoto)).all()
    assert sorted(p.content_type for p in stored) == ["image/jpeg", "image/png", "image/webp"]
    upload_dir = app.config["UPLOAD_DIR"]
    for photo in stored:
        assert not photo.stored_path.startswith("/") and photo.original_name in (
            "kiosk.jpg",
            "lawn.png",
            "gate.webp",
        )
        # Stored under a random name: the sender's file name (letters no hex name holds)
        # never reaches the disk path.
        assert photo.original_name not in photo.stored_path
        assert Path(upload_dir, photo.stored_path).exists()
    shown = sign_in("officer_osh").get(f"/office/photos/{stored[0].id}")
    assert shown.status_code == 200 and shown.mimetype.startswith("image/")


@pytest.mark.parametrize(
    "body, name, reason",
    [
        (b"<?php echo 1; ?>", "evil.jpg", "not a JPEG, PNG or WebP"),
        (b"GIF89a" + b"\0" * 20, "anim.gif", "not a JPEG, PNG or WebP"),
        (b"\xff\xd8\xff" + b"\0" * photos.MAX_BYTES, "huge.jpg", "larger than 10 MB"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_saved(db_session, sign_in, osh, body, name, reason):
    parcel = f.parcel(db_session, osh)
    answer = _visit(sign_in("officer_osh"), parcel, (body, name))
    assert answer.status_code == 400 and reason in answer.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Inspection)) == 0


def test_a_bad_photo_after_good_ones_leaves_no_file_behind(app, db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    answer = _visit(
        sign_in("officer_osh"), parcel, (JPEG, "a.jpg"), (PNG, "b.png"), (b"<?php", "c.jpg")
    )
    assert answer.status_code == 400
    assert not [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]


def test_another_citys_officer_cannot_see_a_photo(db_session, sign_in, osh, tmp_path, app):
    parcel = f.parcel(db_session, osh)
    _visit(sign_in("officer_osh"), parcel, (JPEG, "a.jpg"))
    photo = db_session.scalars(sa.select(m.InspectionPhoto)).one()
    assert sign_in("officer_ja").get(f"/office/photos/{photo.id}").status_code == 403


def test_an_inspection_page_maps_the_parcel_and_where_the_inspector_stood(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    client = sign_in("officer_osh")
    _visit(client, parcel, lon="72.8001", lat="40.5301")
    inspection = db_session.scalars(sa.select(m.Inspection)).one()
    page = client.get(f"/office/inspections/{inspection.id}?lang=en").get_data(as_text=True)
    assert "leaflet.js" in page and "circle_marker" in page and "40.5301" in page
    answer = client.get(f"/api/v1/inspections/{inspection.id}").get_json()
    assert answer["position"] == {"type": "Point", "coordinates": [72.8001, 40.5301]}
