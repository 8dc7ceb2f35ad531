"""Inspections from a phone: the form, its photos and the phone's position."""

from __future__ import annotations

from pathlib import Path

from flask import flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from inventory.database import get_session
from inventory.i18n import current_language
from inventory.office import bp, forms, require_editor
from inventory.services import photos
from inventory.services.errors import Conflict, ValidationError
from inventory.services.records.inspections import kind as inspections
from inventory.web import uploads
from inventory.web.formatting import number
from inventory.web.settings import settings


def _position(form) -> tuple[float, float] | None:
    """The phone's position from the hidden fields, if the browser gave one."""
    try:
        lon, lat = float(form.get("lon", "")), float(form.get("lat", ""))
    except ValueError:
        return None
    return (lon, lat) if -180 <= lon <= 180 and -90 <= lat <= 90 else None


@bp.route("/inspections/visit", methods=["GET", "POST"])
def inspection_visit():
    require_editor()
    session = get_session()
    uses = forms.choices(session, inspections.field("observed_use"), current_language())
    error = None
    if request.method == "POST":
        files = [f for f in request.files.getlist("photos") if f and f.filename]
        stored: list[Path] = []
        upload_dir = uploads.folder()
        try:
            data = forms.to_data("inspections", request.form, creating=True)
            created = inspections.create(session, g.actor, data, settings())
            position = _position(request.form)
            if position:
                photos.set_position(session, created["id"], *position)
            for upload in files:
                photo = photos.add_photo(
                    session,
                    g.actor,
                    created["id"],
                    upload.read(photos.MAX_BYTES + 1),
                    upload.filename,
                    upload_dir,
                )
                stored.append(upload_dir / photo.stored_path)
        except (ValidationError, Conflict) as exc:
            session.rollback()
            for path in stored:  # nothing was saved, so no photo file stays either
                path.unlink(missing_ok=True)
            error = exc
        else:
            session.commit()
            flash(_("The inspection was saved with %(n)s photos.", n=number(len(files))))
            return redirect(url_for("office.record", name="inspections", record_id=created["id"]))
    data = request.form if request.method == "POST" else request.args
    # The parcel and building as the inspector knows them (code, address), not as ids.
    picked = forms.picked_labels(
        session,
        g.actor,
        data,
        [("parcel_id", "record:parcels"), ("building_id", "record:buildings")],
    )
    return render_template(
        "office/inspection_visit.html",
        uses=uses,
        data=data,
        error=error,
        labels=forms.LABELS,
        picked=picked,
    ), (error.status if error else 200)


@bp.get("/photos/<int:photo_id>")
def photo(photo_id: int):
    path, content_type = photos.photo_file(get_session(), g.actor, photo_id, uploads.folder())
    # Not cached by shared caches: photos may show people and are for the office only.
    response = send_file(path, mimetype=content_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response
