"""Citizen reports in the API: the queue with its filters, one report, publish and
reject, each refused to another city's officer and to auditors where they moderate."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.citizen_reports import CONTACT, filed

JALAL_ABAD = f.JALAL_ABAD


@pytest.fixture()
def reports(db_session, osh, jalalabad):
    """Two pending reports of Osh, one published; one pending report of Jalal-Abad."""
    osh_parcel = f.parcel(db_session, osh)
    ja_parcel = f.parcel(db_session, jalalabad, shape=f.square(*JALAL_ABAD))
    made = {
        "osh": filed(db_session, osh_parcel, "Кафе на газоне"),
        "osh_2": filed(db_session, osh_parcel, "Забор на тротуаре"),
        "osh_published": filed(db_session, osh_parcel, "Уже опубликован"),
        "ja": filed(db_session, ja_parcel, "Стоянка во дворе"),
    }
    made["osh_published"].status = "published"
    db_session.flush()
    return made


def _texts(body: dict) -> set[str]:
    return {item["text"] for item in body["items"]}


@pytest.mark.parametrize(
    "user, expected",
    [
        ("officer_osh", {"Кафе на газоне", "Забор на тротуаре"}),
        ("officer_ja", {"Стоянка во дворе"}),
        ("auditor", {"Кафе на газоне", "Забор на тротуаре", "Стоянка во дворе"}),
        ("admin", {"Кафе на газоне", "Забор на тротуаре", "Стоянка во дворе"}),
    ],
)
def test_the_list_holds_the_reports_each_user_may_read(client, headers, reports, user, expected):
    response = client.get("/api/v1/reports?status=pending", headers=headers[user])
    assert response.status_code == 200
    body = response.get_json()
    assert _texts(body) == expected and body["total"] == len(expected)
    assert (body["limit"], body["offset"]) == (50, 0)


def test_the_list_pages_filters_and_is_newest_first(client, headers, reports):
    admin = headers["admin"]
    everything = client.get("/api/v1/reports", headers=admin).get_json()
    ids = [item["id"] for item in everything["items"]]
    assert everything["total"] == 4 and ids == sorted(ids, reverse=True)
    page = client.get("/api/v1/reports?limit=1&offset=1", headers=admin).get_json()
    assert [item["id"] for item in page["items"]] == ids[1:2] and page["total"] == 4
    osh = client.get("/api/v1/reports?municipality=osh&status=published", headers=admin)
    assert _texts(osh.get_json()) == {"Уже опубликован"}
    bad = client.get("/api/v1/reports?status=deleted", headers=admin)
    assert bad.status_code == 400 and bad.get_json()["field"] == "status"
    assert client.get("/api/v1/reports?municipality=atlantis", headers=admin).status_code == 404


def test_an_officer_may_not_ask_for_another_citys_reports(client, headers, reports):
    response = client.get("/api/v1/reports?municipality=jalal-abad", headers=headers["officer_osh"])
    assert response.status_code == 403


def test_one_report_shows_staff_the_contact_and_the_place(client, headers, reports):
    report = client.get(f"/api/v1/reports/{reports['osh'].id}", headers=headers["auditor"])
    body = report.get_json()
    assert report.status_code == 200
    assert (body["contact"], body["status"], body["municipality"]) == (CONTACT, "pending", "osh")
    assert body["parcel_id"] == reports["osh"].parcel_id and body["ident_code"]


def test_publish_and_reject_through_the_api(client, headers, reports, db_session):
    officer = headers["officer_osh"]
    report = reports["osh"]
    published = client.post(f"/api/v1/reports/{report.id}/publish", headers=officer)
    assert published.status_code == 200
    body = published.get_json()
    assert (body["status"], body["moderated_by"]) == ("published", "officer-osh")
    card = client.get(f"/parcels/{report.parcel_id}.json").get_data(as_text=True)
    html = client.get(f"/parcels/{report.parcel_id}?lang=en").get_data(as_text=True)
    assert "Кафе на газоне" in html and CONTACT not in html and CONTACT not in card

    no_reason = client.post(f"/api/v1/reports/{report.id}/reject", headers=officer, json={})
    assert no_reason.status_code == 400 and no_reason.get_json()["field"] == "reason"
    rejected = client.post(
        f"/api/v1/reports/{report.id}/reject", headers=officer, json={"reason": "Дубликат"}
    )
    assert rejected.status_code == 200
    assert (rejected.get_json()["status"], rejected.get_json()["reason"]) == (
        "rejected",
        "Дубликат",
    )
    assert "Кафе на газоне" not in client.get(f"/parcels/{report.parcel_id}?lang=en").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "user, read, moderate",
    [("officer_ja", 403, 403), ("auditor", 200, 403), ("officer_osh", 200, 200)],
)
def test_the_permission_walk_with_an_osh_report(
    client, headers, reports, db_session, user, read, moderate
):
    report = reports["osh"]
    who = headers[user]
    response = client.get(f"/api/v1/reports/{report.id}", headers=who)
    assert response.status_code == read
    if read != 200:
        assert CONTACT not in response.get_data(as_text=True)
    calls = [
        client.post(f"/api/v1/reports/{report.id}/reject", headers=who, json={"reason": "x"}),
        client.post(f"/api/v1/reports/{report.id}/publish", headers=who),
    ]
    assert [c.status_code for c in calls] == [moderate, moderate]
    db_session.refresh(report)
    assert report.status == ("published" if moderate == 200 else "pending")


def test_an_unknown_report_is_not_found_and_no_token_is_unauthorised(client, headers):
    assert client.get("/api/v1/reports/99999999", headers=headers["admin"]).status_code == 404
    publish = client.post("/api/v1/reports/99999999/publish", headers=headers["admin"])
    assert publish.status_code == 404
    assert client.get("/api/v1/reports").status_code == 401
