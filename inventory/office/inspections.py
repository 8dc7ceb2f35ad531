"""Inspections from a phone: the form, its photos and the phone's position."""
from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from inventory.database import get_session
from inventory.office import bp, forms
from inventory.services import photos
from inventory.services.errors import Conflict, ValidationError
from inventory.services.records.inspections import kind as inspections


def _position(form) -> tuple[float, float] | None:
    """The phone's position from the hidden fields, if the browser gave one."""
    try:
        lon, lat = float(form.get("lon", "")), float(form.get("lat", ""))
    except ValueError:
        return None
    return (lon, lat) if -180 <= lon <= 180 and -90 <= lat <= 90 else None


@bp.route("/inspections/visit", methods=["GET", "POST"])
def inspection_visit():
    session = get_session()
    language = g.get("language", "ru")
    uses = forms.choices(session, "code:LandUse", language)
    error = None
    if request.method == "POST":
        files = [f for f in request.files.getlist("photos") if f and f.filename]
        try:
            data = forms.to_data("inspections", request.form, creating=True)
            created = inspections.create(session, g.actor, data)
            upload_dir = Path(current_app.config["UPLOAD_DIR"])
            position = _position(request.form)
            if position:
                photos.set_position(session, created["id"], *position)
            for upload in files:
                photos.add_photo(session, g.actor, created["id"],
                                 upload.read(photos.MAX_BYTES + 1), upload.filename,
                                 upload_dir)
        except (ValidationError, Conflict) as exc:
            session.rollback()
            error = exc
        else:
            session.commit()
            flash(_("The inspection was saved with %(n)d photos.", n=len(files)))
            return redirect(url_for("office.record", name="inspections",
                                    record_id=created["id"]))
    data = request.form if request.method == "POST" else request.args
    return render_template("office/inspection_visit.html", uses=uses, data=data,
                           error=error, labels=forms.LABELS), (error.status if error else 200)


@bp.get("/photos/<int:photo_id>")
def photo(photo_id: int):
    path, content_type = photos.photo_file(get_session(), g.actor, photo_id,
                                           Path(current_app.config["UPLOAD_DIR"]))
    # Not cached by shared caches: photos may show people and are for the office only.
    response = send_file(path, mimetype=content_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response
