"""The officers' moderation queue: who sees which reports, publishing and rejecting
through the pages, what the public card shows afterwards, the count of reports waiting."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.citizen_reports import CONTACT, JPEG, filed

JALAL_ABAD = f.JALAL_ABAD


@pytest.fixture()
def two_cities(db_session, osh, jalalabad):
    """A pending report in Osh (with a photo) and one in Jalal-Abad."""

    def make(app):
        osh_parcel = f.parcel(db_session, osh)
        ja_parcel = f.parcel(db_session, jalalabad, shape=f.square(*JALAL_ABAD))
        return (
            filed(
                db_session,
                osh_parcel,
                "Кафе на газоне в Оше",
                upload_dir=app.config["UPLOAD_DIR"],
                photo=JPEG,
            ),
            filed(db_session, ja_parcel, "Стоянка в Джалал-Абаде"),
        )

    return make


@pytest.mark.parametrize(
    "user, sees_osh, sees_ja",
    [
        ("officer_osh", True, False),
        ("officer_ja", False, True),
        ("auditor", True, True),
        ("admin", True, True),
    ],
)
def test_the_queue_lists_the_pending_reports_each_user_may_read(
    app, sign_in, two_cities, user, sees_osh, sees_ja
):
    two_cities(app)
    html = sign_in(user).get("/office/reports?lang=en").get_data(as_text=True)
    assert ("Кафе на газоне в Оше" in html) is sees_osh
    assert ("Стоянка в Джалал-Абаде" in html) is sees_ja


def test_the_queue_is_newest_first_and_filters_by_status(app, sign_in, db_session, osh):
    parcel = f.parcel(db_session, osh)
    older, newer, rejected = (filed(db_session, parcel, t) for t in ("старый", "новый", "спам"))
    older.created_at = older.created_at.replace(year=2025)
    rejected.status, rejected.moderation_note = "rejected", "реклама"
    db_session.flush()
    client = sign_in("officer_osh")
    html = client.get("/office/reports?lang=en").get_data(as_text=True)
    assert html.index("новый") < html.index("старый") and "спам" not in html
    html = client.get("/office/reports?status=rejected&lang=en").get_data(as_text=True)
    assert "спам" in html and "новый" not in html
    html = client.get("/office/reports?status=all&lang=en").get_data(as_text=True)
    assert all(text in html for text in ("новый", "старый", "спам"))
    assert client.get("/office/reports?status=deleted").status_code == 400


def test_an_officer_reads_a_report_with_its_map_photo_and_contact(app, sign_in, two_cities):
    osh_report, _ = two_cities(app)
    client = sign_in("officer_osh")
    html = client.get(f"/office/reports/{osh_report.id}?lang=en").get_data(as_text=True)
    assert CONTACT in html and "Кафе на газоне в Оше" in html
    assert "leaflet" in html.lower() and 'class="publish"' in html and 'name="reason"' in html
    photo = client.get(f"/office/reports/{osh_report.id}/photo")
    assert photo.status_code == 200 and photo.data == JPEG
    assert photo.headers["Content-Type"] == "image/jpeg"
    assert "no-store" in photo.headers["Cache-Control"]


@pytest.mark.parametrize(
    "user, page, photo", [("officer_ja", 403, 403), ("auditor", 200, 200), ("admin", 200, 200)]
)
def test_another_citys_officer_gets_nothing_and_an_auditor_only_reads(
    app, sign_in, two_cities, user, page, photo
):
    osh_report, _ = two_cities(app)
    client = sign_in(user)
    response = client.get(f"/office/reports/{osh_report.id}?lang=en")
    assert response.status_code == page
    assert (CONTACT in response.get_data(as_text=True)) is (page == 200)
    assert client.get(f"/office/reports/{osh_report.id}/photo").status_code == photo
    if user == "auditor":
        html = response.get_data(as_text=True)
        assert 'class="publish"' not in html and 'name="reason"' not in html


def test_an_officer_publishes_and_the_parcel_card_shows_it_without_the_contact(
    app, client, sign_in, db_session, two_cities
):
    osh_report, _ = two_cities(app)
    card = f"/parcels/{osh_report.parcel_id}?lang=en"
    assert "Кафе на газоне в Оше" not in client.get(card).get_data(as_text=True)
    response = sign_in("officer_osh").post(f"/office/reports/{osh_report.id}/publish")
    assert response.status_code == 303
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "is published" in page
    db_session.refresh(osh_report)
    assert osh_report.status == "published" and osh_report.moderated_by_id is not None
    client.get("/auth/logout")
    with client.session_transaction() as session:
        session.clear()
    public = client.get(card).get_data(as_text=True)
    assert "Кафе на газоне в Оше" in public and CONTACT not in public
    assert client.get(f"/reports/{osh_report.id}/photo").data == JPEG


def test_a_rejection_needs_a_reason_and_keeps_the_report_private(
    app, client, sign_in, db_session, two_cities
):
    osh_report, _ = two_cities(app)
    officer = sign_in("officer_osh")
    refused = officer.post(f"/office/reports/{osh_report.id}/reject?lang=ru", data={"reason": " "})
    assert refused.status_code == 303
    page = officer.get(refused.headers["Location"] + "?lang=ru").get_data(as_text=True)
    assert "Не отклонено" in page
    db_session.refresh(osh_report)
    assert osh_report.status == "pending"
    done = officer.post(
        f"/office/reports/{osh_report.id}/reject", data={"reason": "Повтор заявки № 12"}
    )
    assert done.status_code == 303
    db_session.refresh(osh_report)
    assert (osh_report.status, osh_report.moderation_note) == ("rejected", "Повтор заявки № 12")
    with client.session_transaction() as session:
        session.clear()
    assert "Кафе на газоне" not in client.get(f"/parcels/{osh_report.parcel_id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize("user", ["officer_ja", "auditor"])
def test_another_citys_officer_and_an_auditor_cannot_moderate(
    app, sign_in, db_session, two_cities, user
):
    osh_report, _ = two_cities(app)
    client = sign_in(user)
    assert client.post(f"/office/reports/{osh_report.id}/publish").status_code == 403
    reject = client.post(f"/office/reports/{osh_report.id}/reject", data={"reason": "нет"})
    assert reject.status_code == 403
    db_session.refresh(osh_report)
    assert osh_report.status == "pending"


def test_moderation_needs_the_csrf_token(app, sign_in, db_session, two_cities):
    osh_report, _ = two_cities(app)
    app.config["WTF_CSRF_ENABLED"] = True
    response = sign_in("officer_osh").post(f"/office/reports/{osh_report.id}/publish")
    assert response.status_code == 400
    db_session.refresh(osh_report)
    assert osh_report.status == "pending"


@pytest.mark.parametrize("user, count", [("officer_osh", 2), ("officer_ja", 1), ("admin", 3)])
def test_the_workspace_counts_the_reports_waiting(
    app, sign_in, db_session, two_cities, osh, user, count
):
    osh_report, _ = two_cities(app)
    parcel = f.parcel(db_session, osh)
    filed(db_session, parcel, "ещё один")
    filed(db_session, parcel, "уже опубликован").status = "published"
    db_session.flush()
    client = sign_in(user)
    home = client.get("/office/?lang=en").get_data(as_text=True)
    assert f"Waiting for moderation: {count}" in home
    assert f'class="badge pending-reports" title="Waiting for moderation">{count}</span>' in home
    client.post(f"/office/reports/{osh_report.id}/publish")
    if user != "officer_ja":
        home = client.get("/office/?lang=en").get_data(as_text=True)
        assert f"Waiting for moderation: {count - 1}" in home
