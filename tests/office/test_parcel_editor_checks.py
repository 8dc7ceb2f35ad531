"""The parcel editor's helpers: the neighbours drawn while an officer works, the check a
drawn polygon gets before it is saved, and the office's map pages running their scripts
by a per-request nonce only."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f
from tests.security.test_inline_scripts import inline_scripts, nonce_of

OSH = f.OSH


def _box(lon=OSH[0], lat=OSH[1], half=0.004) -> str:
    return f"{lon - half},{lat - half},{lon + half},{lat + half}"


def _check(client, parcel, shape):
    return client.post(
        f"/office/parcels/{parcel.id}/shape-check?lang=en",
        json={"geometry": f.geo.to_geojson(shape)},
        headers={"Accept": "application/json"},
    )


def test_the_editor_shows_the_neighbours_of_its_own_city_only(db_session, sign_in, osh, jalalabad):
    parcel = f.parcel(db_session, osh, shape=f.square(*OSH, 40))
    east = f.parcel(db_session, osh, shape=f.square(OSH[0] + 0.0006, OSH[1], 40))
    archived = f.parcel(db_session, osh, shape=f.square(OSH[0] - 0.0006, OSH[1], 40))
    archived.archived_at = dt.datetime.now(dt.UTC)
    db_session.flush()
    answer = sign_in("officer_osh").get(
        f"/office/parcels/{parcel.id}/neighbours?bbox={_box()}",
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200
    ids = [feature["id"] for feature in answer.json["features"]]
    assert ids == [east.id]
    assert answer.json["features"][0]["properties"]["ident_code"] == east.ident_code


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "72.9,40.5,72.8,40.6", "72,40,73,41"])
def test_neighbours_need_a_small_box(db_session, sign_in, osh, bbox):
    parcel = f.parcel(db_session, osh)
    answer = sign_in("officer_osh").get(
        f"/office/parcels/{parcel.id}/neighbours?bbox={bbox}&lang=ru",
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 400 and answer.json["field"] == "bbox"


def test_without_a_box_the_neighbours_around_the_parcel_are_given(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh, shape=f.square(*OSH, 40))
    near = f.parcel(db_session, osh, shape=f.square(OSH[0], OSH[1] + 0.001, 40))
    f.parcel(db_session, osh, shape=f.square(OSH[0] + 0.01, OSH[1], 40))  # a kilometre away
    answer = sign_in("officer_osh").get(
        f"/office/parcels/{parcel.id}/neighbours", headers={"Accept": "application/json"}
    )
    assert [feature["id"] for feature in answer.json["features"]] == [near.id]


def test_an_officer_of_another_city_sees_no_neighbours(db_session, sign_in, osh, jalalabad):
    parcel = f.parcel(db_session, osh)
    answer = sign_in("officer_ja").get(
        f"/office/parcels/{parcel.id}/neighbours?bbox={_box()}",
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 403


def test_a_drawn_polygon_is_checked_against_its_neighbours_before_saving(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh, shape=f.square(*OSH, 40))
    east = f.parcel(db_session, osh, shape=f.square(OSH[0] + 0.0004, OSH[1], 40))
    answer = _check(sign_in("officer_osh"), parcel, f.square(OSH[0] + 0.0002, OSH[1], 60))
    assert answer.status_code == 200
    (overlap,) = answer.json["overlaps"]
    assert overlap["id"] == east.id and overlap["properties"]["ident_code"] == east.ident_code
    assert overlap["overlap_m2"] > 100 and overlap["geometry"]["type"] == "MultiPolygon"
    assert answer.json["overlap_m2"] == overlap["overlap_m2"]
    assert 3000 < answer.json["measured_area"] < 4200
    db_session.refresh(parcel)
    assert parcel.version == 1  # nothing saved


def test_a_polygon_outside_the_city_is_refused_in_the_officers_language(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    client = sign_in("officer_osh")
    answer = client.post(
        f"/office/parcels/{parcel.id}/shape-check?lang=ru",
        json={"geometry": f.geo.to_geojson(f.square(OSH[0] + 0.5, OSH[1], 40))},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 400 and answer.json["field"] == "geometry"
    assert "outside" not in answer.json["message"]  # Russian, not the API's English


def test_auditors_cannot_check_a_shape(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    assert _check(sign_in("auditor"), parcel, f.square(*OSH, 20)).status_code == 403


@pytest.mark.parametrize(
    "path", ["/office/parcels/{id}", "/office/parcels/{id}/map", "/office/contracts/{contract}"]
)
def test_office_map_pages_run_their_scripts_by_a_nonce(db_session, sign_in, osh, path):
    parcel = f.parcel(db_session, osh)
    contract = f.contract(db_session, parcel)
    page = sign_in("officer_osh").get(path.format(id=parcel.id, contract=contract.id))
    assert page.status_code == 200
    nonce = nonce_of(page)
    scripts = inline_scripts(page.get_data(as_text=True))
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
