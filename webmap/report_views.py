"""Citizen reports: the form, its answer, and the photos of published reports.

The view checks what only the web can know (CSRF, honeypot, fill time, the upload's
size as received); inventory.services.public.reports checks and stores the rest.
"""

from __future__ import annotations

import logging

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext

from inventory.database import get_public_session, get_session
from inventory.i18n import current_language
from inventory.services.errors import ValidationError
from inventory.services.privacy import client_hash
from inventory.services.public import reports
from inventory.services.public.parcels import public_parcel
from inventory.services.reports import follow
from inventory.web import uploads
from webmap.blueprint import bp
from webmap.forms import MIN_FILL_SECONDS, ReportForm, filled_too_fast, start_token

log = logging.getLogger(__name__)


def _render(form: ReportForm, status: int = 200, problem: str | None = None):
    parcel = None
    if form.parcel.data is not None:
        parcel = public_parcel(get_session(), form.parcel.data, current_language())
    form.started.data = start_token(current_app.config["SECRET_KEY"])
    return render_template("webmap/report.html", form=form, parcel=parcel, problem=problem), status


@bp.get("/report")
def report_form():
    """The report form about ?parcel=<id>, or about the point ?lon=&lat= picked on the map."""
    form = ReportForm(
        formdata=None,
        data={
            "parcel": request.args.get("parcel", type=int),
            "lon": request.args.get("lon", type=float),
            "lat": request.args.get("lat", type=float),
        },
    )
    return _render(form)


@bp.post("/report")
def report_submit():
    """Store a report as pending, or show the form again with a translated reason."""
    form = ReportForm()
    if form.website.data:
        # A bot: thank it like a person, so it learns nothing, and keep nothing.
        log.info("citizen report dropped: honeypot filled")
        return redirect(url_for("webmap.report_sent", lang=current_language()))
    if not form.validate():
        return _render(form, 400)
    minimum = current_app.config.get("REPORT_MIN_FILL_SECONDS", MIN_FILL_SECONDS)
    if filled_too_fast(current_app.config["SECRET_KEY"], form.started.data, minimum):
        return _render(
            form, 400, gettext("The form was sent too quickly. Please check it and send it again.")
        )
    photo = None
    upload = form.photo.data
    if upload and getattr(upload, "filename", ""):
        # One byte past the limit is enough to know it is too large.
        photo = upload.stream.read(reports.MAX_PHOTO_BYTES + 1) or None
    db = get_session()
    try:
        report = reports.submit_report(
            db,
            text=form.text.data,
            contact=form.contact.data,
            place=reports.Place(parcel_id=form.parcel.data, lon=form.lon.data, lat=form.lat.data),
            photo=photo,
            upload_dir=uploads.folder(),
            client=client_hash(
                request.remote_addr, current_app.config["SECRET_KEY"], reports.CLIENT_PURPOSE
            ),
        )
        token = follow.issue(db, report)
    except reports.RateLimited as exc:
        db.rollback()
        return _render(form, 429, gettext(exc.message))
    except ValidationError as exc:
        db.rollback()
        return _render(form, 400, gettext(exc.message))
    db.commit()
    # The follow token reaches the thank-you page in the signed session cookie, never in
    # a URL of this site's own logs; only its hash is in the database.
    session[FOLLOW_KEY] = token
    return redirect(url_for("webmap.report_sent", lang=current_language()))


#: Where the thank-you page finds the follow token of the report just sent.
FOLLOW_KEY = "report_follow"


def _private(response):
    # The page is the token's: no shared cache keeps it, no link passes it on as Referer.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/report/sent")
def report_sent():
    """Thanks, what happens next, and the private link to follow the report."""
    # Shown once: the cookie stops carrying the token as soon as the page has it.
    token = session.pop(FOLLOW_KEY, None)
    link = (
        url_for("webmap.report_follow", token=token, lang=current_language(), _external=True)
        if token
        else None
    )
    return _private(
        current_app.make_response(render_template("webmap/report_sent.html", link=link))
    )


@bp.get("/report/follow/<token>")
def report_follow(token: str):
    """The status of the one report this private token was issued for; 404 otherwise."""
    followed = follow.followed(get_session(), token)
    if followed is None:
        abort(404)
    return _private(
        current_app.make_response(render_template("webmap/report_follow.html", report=followed))
    )


@bp.get("/reports/<int:report_id>/photo")
def report_photo(report_id: int):
    """The photo of a published report; 404 for pending or rejected ones."""
    path = reports.published_photo(get_public_session(), report_id)
    if path is None:
        abort(404)
    return send_from_directory(uploads.folder(), path, max_age=3600)
