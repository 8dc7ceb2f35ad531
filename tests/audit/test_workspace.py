"""The auditor workspace: who sees which flags, filters, the workflow, the pages."""

from __future__ import annotations

import re

import pytest

from tests.audit.conftest import sign_in


@pytest.mark.parametrize(
    "path", ["/audit/flags", "/audit/dashboard", "/audit/flags/export.csv", "/audit/flags/1"]
)
def test_the_public_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_api_needs_a_token(client):
    assert client.get("/api/v1/anomalies").status_code == 401
    assert client.get("/api/v1/anomalies/export.csv").status_code == 401


def test_an_auditor_sees_every_city_and_its_counts(client, people, flagged):
    sign_in(client, people["auditor"])
    page = client.get("/audit/flags").get_data(as_text=True)
    assert "ЖА-2020-0001" in page and "HYPERLINK" in page
    assert "2 flags" in client.get("/audit/flags?lang=en").get_data(as_text=True)


def test_an_officer_of_osh_sees_only_osh(client, people, flagged):
    sign_in(client, people["officer_osh"])
    page = client.get("/audit/flags").get_data(as_text=True)
    assert "HYPERLINK" in page and "ЖА-2020-0001" not in page
    assert client.get("/audit/flags?municipality=jalal-abad").status_code == 403
    assert client.get(f"/audit/flags/{flagged['ja'].id}").status_code == 403
    response = client.post(f"/audit/flags/{flagged['ja'].id}/status", data={"status": "confirmed"})
    assert response.status_code == 403
    assert flagged["ja"].status.value == "open"


def test_an_auditor_reads_a_flag_but_cannot_change_it(client, people, flagged):
    sign_in(client, people["auditor"])
    page = client.get(f"/audit/flags/{flagged['osh'].id}?lang=en").get_data(as_text=True)
    assert "Days past the end" in page and "Dismiss" not in page
    response = client.post(
        f"/audit/flags/{flagged['osh'].id}/status", data={"status": "dismissed", "reason": "x"}
    )
    assert response.status_code == 403


def test_an_officer_confirms_and_dismisses_with_a_reason(client, people, flagged, db_session):
    sign_in(client, people["officer_osh"])
    flag = flagged["osh"]
    assert "Dismiss" in client.get(f"/audit/flags/{flag.id}?lang=en").get_data(as_text=True)
    assert (
        client.post(f"/audit/flags/{flag.id}/status", data={"status": "confirmed"}).status_code
        == 303
    )
    db_session.refresh(flag)
    assert flag.status.value == "confirmed"
    assert flag.status_changed_by_id == people["officer_osh"].id
    client.post(f"/audit/flags/{flag.id}/status", data={"status": "dismissed"})
    db_session.refresh(flag)
    assert flag.status.value == "confirmed"  # no reason: refused
    client.post(
        f"/audit/flags/{flag.id}/status",
        data={"status": "dismissed", "reason": "contract renewed on paper"},
    )
    db_session.refresh(flag)
    assert flag.status.value == "dismissed" and flag.reason == "contract renewed on paper"


def test_status_changes_need_the_csrf_token(app, client, people, flagged, db_session):
    sign_in(client, people["officer_osh"])
    app.config["WTF_CSRF_ENABLED"] = True
    flag = flagged["osh"]
    assert (
        client.post(f"/audit/flags/{flag.id}/status", data={"status": "confirmed"}).status_code
        == 400
    )
    page = client.get(f"/audit/flags/{flag.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert (
        client.post(
            f"/audit/flags/{flag.id}/status", data={"status": "confirmed", "csrf_token": token}
        ).status_code
        == 303
    )
    db_session.refresh(flag)
    assert flag.status.value == "confirmed"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("municipality=osh", {"osh"}),
        ("rule=arrears", set()),
        ("rule=contract_expired_active&severity=critical", {"osh", "ja"}),
        ("status=dismissed", set()),
        ("status=open", {"osh", "ja"}),
        ("lessee=%D0%90%D0%BA-%D0%A2%D0%B8%D0%BB", {"osh"}),  # "Ак-Тил"
        ("seen_to=2020-01-01", set()),
        ("seen_from=2020-01-01", {"osh", "ja"}),
    ],
)
def test_filters(client, headers, flagged, query, expected):
    body = client.get(f"/api/v1/anomalies?{query}", headers=headers["auditor"]).get_json()
    ids = {flag["id"] for flag in body["items"]}
    assert ids == {flagged[k].id for k in expected} and body["total"] == len(expected)


def test_bad_filters_are_400(client, headers):
    for query in ("rule=nope", "seen_from=yesterday", "limit=0", "severity=x"):
        response = client.get(f"/api/v1/anomalies?{query}", headers=headers["auditor"])
        assert response.status_code == 400, query


def test_paging(client, headers, flagged):
    body = client.get("/api/v1/anomalies?limit=1&offset=1", headers=headers["admin"]).get_json()
    assert body["total"] == 2 and len(body["items"]) == 1 and body["offset"] == 1


def test_the_map_layer_holds_only_the_filtered_flags(client, people, flagged):
    sign_in(client, people["auditor"])
    data = client.get("/audit/flags/map.geojson?municipality=osh").get_json()
    assert [f["properties"]["flag_id"] for f in data["features"]] == [flagged["osh"].id]
    assert data["features"][0]["geometry"]["type"] == "MultiPolygon"
    script = client.get("/audit/flags/map.js?municipality=osh")
    assert script.mimetype == "application/javascript"
    assert "map.geojson?municipality=osh" in script.get_data(as_text=True)
    page = client.get("/audit/flags").get_data(as_text=True)
    assert "<script>" not in page and "cdn" not in page.lower()
