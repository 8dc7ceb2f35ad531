"""Parcels through the API: GeoJSON in and out, checks on polygons, versions, archive."""

from __future__ import annotations

from shapely.geometry import Polygon

from tests import factories as f
from tests.api.conftest import polygon


def _new(code="5-08-01-0009-0001", shape=None, **extra):
    return {
        "municipality": "osh",
        "ident_code": code,
        "address": "ул. Курманжан Датка, 5",
        "designated_use": "trade",
        "documented_area": 900,
        "geometry": polygon(shape if shape is not None else f.square(72.79, 40.52)),
        **extra,
    }


def test_an_officer_creates_a_parcel_and_gets_its_measured_area(client, headers):
    response = client.post("/api/v1/parcels", headers=headers["officer_osh"], json=_new())
    assert response.status_code == 201, response.get_json()
    feature = response.get_json()
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "MultiPolygon"
    props = feature["properties"]
    assert props["documented_area"] == 900
    assert 850 < props["measured_area"] < 950  # 30 m × 30 m, measured in Kyrg-06
    assert props["version"] == 1 and "warnings" not in feature


def test_a_self_intersecting_polygon_answers_400_naming_the_field(client, headers):
    bowtie = Polygon([(72.79, 40.52), (72.791, 40.521), (72.791, 40.52), (72.79, 40.521)])
    response = client.post(
        "/api/v1/parcels", headers=headers["officer_osh"], json=_new(shape=bowtie)
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == "geometry" and "invalid" in body["message"]


def test_a_polygon_outside_the_city_answers_400(client, headers):
    response = client.post(
        "/api/v1/parcels", headers=headers["officer_osh"], json=_new(shape=f.square(74.5, 42.8))
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "geometry"
    assert "boundary" in response.get_json()["message"]


def test_a_point_is_not_a_parcel(client, headers):
    response = client.post(
        "/api/v1/parcels",
        headers=headers["officer_osh"],
        json=_new() | {"geometry": {"type": "Point", "coordinates": [72.8, 40.5]}},
    )
    assert response.status_code == 400 and response.get_json()["field"] == "geometry"


def test_a_malformed_code_answers_400(client, headers):
    response = client.post("/api/v1/parcels", headers=headers["officer_osh"], json=_new(code="ABC"))
    assert response.status_code == 400 and response.get_json()["field"] == "ident_code"


def test_a_duplicate_code_answers_409(client, db_session, headers, osh):
    existing = f.parcel(db_session, osh)
    response = client.post(
        "/api/v1/parcels", headers=headers["officer_osh"], json=_new(code=existing.ident_code)
    )
    assert response.status_code == 409 and response.get_json()["field"] == "ident_code"


def test_an_overlap_is_saved_with_a_warning_naming_the_other_parcel(
    client, db_session, headers, osh
):
    other = f.parcel(db_session, osh, shape=f.square(72.79, 40.52, metres=40))
    response = client.post("/api/v1/parcels", headers=headers["officer_osh"], json=_new())
    assert response.status_code == 201
    warnings = response.get_json()["warnings"]
    assert warnings[0]["code"] == "overlap"
    assert warnings[0]["parcel_ids"] == [other.id]
    assert other.ident_code in warnings[0]["message"]


def test_a_stale_patch_answers_409_and_changes_nothing(client, db_session, headers, osh):
    parcel = f.parcel(db_session, osh, address="ул. Ленина, 1")
    first = client.patch(
        f"/api/v1/parcels/{parcel.id}",
        headers=headers["officer_osh"],
        json={"version": 1, "address": "ул. Ленина, 2"},
    )
    assert first.status_code == 200 and first.get_json()["properties"]["version"] == 2
    stale = client.patch(
        f"/api/v1/parcels/{parcel.id}",
        headers=headers["officer_osh"],
        json={"version": 1, "address": "ул. Ленина, 3"},
    )
    assert stale.status_code == 409
    assert stale.get_json()["field"] == "version"
    now = client.get(f"/api/v1/parcels/{parcel.id}", headers=headers["officer_osh"]).get_json()
    assert now["properties"]["address"] == "ул. Ленина, 2"
    assert now["properties"]["version"] == 2


def test_a_patch_without_version_answers_400(client, db_session, headers, osh):
    parcel = f.parcel(db_session, osh)
    response = client.patch(
        f"/api/v1/parcels/{parcel.id}", headers=headers["officer_osh"], json={"address": "x"}
    )
    assert response.status_code == 400 and response.get_json()["field"] == "version"


def test_archived_parcels_leave_the_list_but_stay_readable(client, db_session, headers, osh):
    kept, gone = f.parcel(db_session, osh), f.parcel(db_session, osh)
    assert (
        client.delete(f"/api/v1/parcels/{gone.id}", headers=headers["officer_osh"]).status_code
        == 200
    )
    listed = client.get("/api/v1/parcels?municipality=osh", headers=headers["officer_osh"])
    assert [p["id"] for p in listed.get_json()["items"]] == [kept.id]
    again = client.get(f"/api/v1/parcels/{gone.id}", headers=headers["officer_osh"])
    assert again.get_json()["properties"]["archived_at"] is not None


def test_lists_page_filter_and_search(client, db_session, headers, osh, jalalabad):
    for n in range(5):
        f.parcel(db_session, osh, address=f"ул. Масалиева, {n}")
    f.parcel(db_session, osh, address="пр. Ленина, 7", status="leased")
    f.parcel(db_session, jalalabad, shape=f.square(73.0, 40.933))
    auditor = headers["auditor"]
    page = client.get(
        "/api/v1/parcels?municipality=osh&limit=2&offset=2", headers=auditor
    ).get_json()
    assert page["total"] == 6 and len(page["items"]) == 2
    found = client.get("/api/v1/parcels?q=масалиева", headers=auditor).get_json()
    assert found["total"] == 5
    leased = client.get("/api/v1/parcels?status=leased", headers=auditor).get_json()
    assert leased["total"] == 1
    assert client.get("/api/v1/parcels?limit=501", headers=auditor).status_code == 400
    assert client.get("/api/v1/parcels?municipality=atlantis", headers=auditor).status_code == 400


def test_buildings_are_features_too(client, db_session, headers, osh):
    parcel = f.parcel(db_session, osh)
    response = client.post(
        "/api/v1/buildings",
        headers=headers["officer_osh"],
        json={
            "inventory_number": "ИНВ-777",
            "parcel_id": parcel.id,
            "floor_area": 120,
            "geometry": polygon(f.square(72.80, 40.53, metres=10)),
        },
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["properties"]["parcel_id"] == parcel.id
