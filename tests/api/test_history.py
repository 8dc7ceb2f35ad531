"""The history of a record says who changed what, and when."""

from __future__ import annotations

from tests import factories as f


def test_history_shows_who_changed_what(client, db_session, headers, people, osh):
    created = client.post(
        "/api/v1/lessees",
        headers=headers["officer_osh"],
        json={
            "municipality": "osh",
            "kind": "legal_entity",
            "name": "ОсОО «Ак-Бата»",
            "inn": "01234567890123",
        },
    ).get_json()
    changed = client.patch(
        f"/api/v1/lessees/{created['id']}",
        headers=headers["admin"],
        json={"version": created["version"], "phone": "+996 555 000 111"},
    )
    assert changed.status_code == 200
    history = client.get(
        f"/api/v1/lessees/{created['id']}/history", headers=headers["auditor"]
    ).get_json()["items"]
    assert [h["action"] for h in history] == ["insert", "update"]
    assert [h["user"] for h in history] == ["officer-osh", "admin"]
    assert all(h["source"] == "api" for h in history)
    assert history[1]["changed"] == ["phone"]
    assert history[1]["before"]["phone"] is None
    assert history[1]["after"]["phone"] == "+996 555 000 111"


def test_history_of_someone_elses_city_is_forbidden_to_an_officer(
    client, db_session, headers, jalalabad
):
    parcel = f.parcel(db_session, jalalabad, shape=f.square(73.0, 40.933))
    response = client.get(f"/api/v1/parcels/{parcel.id}/history", headers=headers["officer_osh"])
    assert response.status_code == 403


def test_unknown_records_answer_404(client, headers):
    response = client.get("/api/v1/payments/999999", headers=headers["admin"])
    assert response.status_code == 404 and response.get_json()["message"]
