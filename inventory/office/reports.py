"""Citizen reports in the workspace: the moderation queue, a report with its map and
photo, publish and reject; and the count of reports waiting, on every office page.

Rights are the service's (inventory.services.reports.moderation): an officer of another
city gets 403 for a report, an auditor reads and is refused moderation.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l

from inventory.database import get_session
from inventory.models import Municipality
from inventory.office import bp, maps
from inventory.services.reports import moderation
from inventory.web import uploads
from inventory.web.saving import commit_or_flash

PAGE_SIZE = 25
#: The statuses the queue filters by, as officers read them; "all" shows every one.
STATUS_LABELS = {
    "pending": _l("Waiting for moderation"),
    "published": _l("Published"),
    "rejected": _l("Rejected"),
    "all": _l("All reports"),
}


@bp.context_processor
def _pending_reports():
    """`pending_reports`: how many reports wait for the signed-in user, for the office
    navigation's badge and the workspace page."""
    actor = g.get("actor")
    if actor is None:
        return {}
    return {"pending_reports": moderation.pending_count(get_session(), actor)}


@bp.get("/reports")
def reports():
    args = request.args
    status = args.get("status") or "pending"
    page = int(args["page"]) if args.get("page", "").isdecimal() and int(args["page"]) > 0 else 1
    result = moderation.queue(
        get_session(),
        g.actor,
        status=status,
        municipality=args.get("municipality") or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    municipalities = get_session().scalars(sa.select(Municipality).order_by(Municipality.slug))
    return render_template(
        "office/reports.html",
        page=result,
        page_number=page,
        status=status,
        statuses=STATUS_LABELS,
        municipalities=municipalities.all() if g.actor.municipality_id is None else [],
    )


@bp.get("/reports/<int:report_id>")
def report(report_id: int):
    session = get_session()
    found = moderation.detail(session, g.actor, report_id)
    shape = moderation.parcel_geometry(session, g.actor, report_id)
    return render_template(
        "office/report.html",
        report=found,
        statuses=STATUS_LABELS,
        map_html=maps.record_map(shape, point=found["location"]),
        moderate=moderation.may_moderate(session, g.actor, report_id),
    )


@bp.get("/reports/<int:report_id>/photo")
def report_photo(report_id: int):
    path, content_type = moderation.photo_file(get_session(), g.actor, report_id, uploads.folder())
    # A report's photo may show people and is the office's until published.
    response = send_file(path, mimetype=content_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/reports/<int:report_id>/publish")
def publish_report(report_id: int):
    session = get_session()
    commit_or_flash(
        session,
        lambda: moderation.publish(session, g.actor, report_id),
        done=_l("The report is published on the parcel's card, without the contact."),
    )
    return _back(report_id)


@bp.post("/reports/<int:report_id>/reject")
def reject_report(report_id: int):
    session = get_session()
    commit_or_flash(
        session,
        lambda: moderation.reject(session, g.actor, report_id, request.form.get("reason")),
        done=_l("The report is rejected; the resident sees the reason."),
        refused=_l("Not rejected: %(reason)s"),
    )
    return _back(report_id)


def _back(report_id: int):
    # After a decision, the next report waiting is what an officer wants to see.
    if request.form.get("next") == "queue":
        return redirect(url_for("office.reports"), 303)
    return redirect(url_for("office.report", report_id=report_id), 303)
