"""The parcel map editor page and taking a polygon from a file."""

from __future__ import annotations

import io
import json

from tests import factories as f
from tests.office import files


def test_the_editor_uses_the_vendored_leaflet_draw_and_the_api(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    page = sign_in("officer_osh").get(f"/office/parcels/{parcel.id}/map?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/webmap/static/vendor/leaflet-draw/leaflet.draw.js" in html
    assert "/webmap/static/vendor/leaflet-draw/leaflet.draw.css" in html
    assert "cdnjs" not in html and "cdn.jsdelivr" not in html
    assert f"/api/v1/parcels/{parcel.id}" in html and 'name="csrf-token"' in html


def _shape_from(client, parcel, body: bytes, name: str):
    return client.post(
        f"/office/parcels/{parcel.id}/shape-from-file",
        data={"file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )


def test_one_polygon_is_taken_from_a_file(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": json.loads(json.dumps(f.square().__geo_interface__)),
    }
    body = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    answer = _shape_from(sign_in("officer_osh"), parcel, body, "plot.geojson")
    assert answer.status_code == 200
    assert answer.get_json()["geometry"]["type"] == "MultiPolygon"


def test_a_file_of_points_gives_no_polygon(db_session, sign_in, osh, tmp_path):
    parcel = f.parcel(db_session, osh)
    path = files.points_geojson(tmp_path)
    answer = _shape_from(sign_in("officer_osh"), parcel, path.read_bytes(), path.name)
    assert answer.status_code == 400 and "polygon" in answer.get_json()["message"]
