"""The parcel map editor: draw or edit the polygon, or take it from a file.

While the officer draws, the editor shows the neighbouring parcels (`parcel_neighbours`).
Before saving, it asks `parcel_shape_check` what the drawn polygon would meet (refusals
in the officer's language, the neighbours it overlaps and by how much) and asks to
confirm an overlap. Saving goes through the JSON API (PATCH /api/v1/parcels/<id> with the
version and the page's CSRF token, from inventory/static/office/parcel_edit.js).
"""

from __future__ import annotations

import shutil

from flask import current_app, g, jsonify, render_template, request, url_for

from inventory.database import get_session
from inventory.office import bp, maps
from inventory.services.errors import ValidationError
from inventory.services.imports.reading import read_table
from inventory.services.imports.safety import check_file, save_upload
from inventory.services.imports.wizard import parse_crs
from inventory.services.records import neighbours
from inventory.services.records.parcels import kind as parcels
from inventory.services.records.shapes import polygon
from inventory.web.uploads import imports_folder


@bp.get("/parcels/<int:record_id>/map")
def parcel_map(record_id: int):
    session = get_session()
    obj = parcels.load(session, g.actor, record_id)
    parcels.begin_write(session, g.actor, obj.municipality_id)
    item = parcels.to_json(session, obj)
    from inventory.office.crs_names import known_crs

    return render_template(
        "office/parcel_map.html",
        item=item,
        props=item["properties"],
        rendered=maps.editor_map(item["geometry"]),
        known_crs=known_crs(),
        config={
            "api": url_for("api.parcels_update_record", record_id=record_id),
            "neighbours": url_for("office.parcel_neighbours", record_id=record_id),
            "check": url_for("office.parcel_shape_check", record_id=record_id),
            "max_box": neighbours.MAX_BOX_DEGREES,
            "upload": url_for("office.parcel_shape_from_file", record_id=record_id),
            "page": url_for("office.record", name="parcels", record_id=record_id),
            "version": item["properties"]["version"],
            "geometry": item["geometry"],
        },
    )


@bp.get("/parcels/<int:record_id>/neighbours")
def parcel_neighbours(record_id: int):
    """The parcels of the same municipality within ?bbox=west,south,east,north, or around
    the parcel without one (GeoJSON)."""
    try:
        found = neighbours.near(get_session(), g.actor, record_id, request.args.get("bbox"))
    except ValidationError as exc:
        return jsonify(message=exc.localized(), field=exc.field), 400
    return jsonify(found)


@bp.post("/parcels/<int:record_id>/shape-check")
def parcel_shape_check(record_id: int):
    """What saving the posted {"geometry": ...} would meet; nothing is saved. A polygon
    the save would refuse is a 400 with the reason in the officer's language."""
    body = request.get_json(silent=True)
    try:
        if not isinstance(body, dict):
            raise ValidationError("expected a GeoJSON Polygon or MultiPolygon", field="geometry")
        answer = neighbours.check_shape(get_session(), g.actor, record_id, body.get("geometry"))
    except ValidationError as exc:
        return jsonify(message=exc.localized(), field=exc.field), 400
    return jsonify(answer)


@bp.post("/parcels/<int:record_id>/shape-from-file")
def parcel_shape_from_file(record_id: int):
    """The one polygon of an uploaded file, in EPSG:4326, for the editor to show.

    Nothing is saved: the officer looks at it on the map and saves it like a drawing.
    """
    session = get_session()
    obj = parcels.load(session, g.actor, record_id)
    parcels.begin_write(session, g.actor, obj.municipality_id)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError("choose a file", field="file")
    max_bytes = current_app.config["IMPORT_MAX_BYTES"]
    path = save_upload(upload.stream, upload.filename or "", imports_folder(), max_bytes)
    try:
        check_file(path, max_bytes)
        table = read_table(path, crs=parse_crs(request.form.get("crs")))
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    for unreadable in table.geometry_errors.values():
        raise unreadable
    shapes = [g_ for g_ in (table.geometries or []) if g_ is not None]
    if len(shapes) != 1:
        raise ValidationError(
            "the file must hold exactly one polygon; it holds %(count)s geometries",
            field="file",
            count=len(shapes),
        )
    from inventory.services.geometry import to_geojson

    return jsonify(geometry=to_geojson(polygon(to_geojson(shapes[0]), field="file")))
