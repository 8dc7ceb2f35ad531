"""Citizen reports in the API: the moderation queue, one report, publish and reject.

Every route is one call to inventory.services.reports.moderation, which checks the
caller's rights per municipality (officers: their own; auditors: read only).
"""

from __future__ import annotations

from flask import g, jsonify, request

from inventory.api import bp
from inventory.api.tokens import json_body
from inventory.database import get_session
from inventory.services.records.paging import Filters
from inventory.services.reports import moderation


@bp.get("/reports")
def list_reports():
    filters = Filters.from_args(request.args)
    page = moderation.queue(
        get_session(),
        g.actor,
        status=filters.status,
        municipality=filters.municipality,
        limit=filters.limit,
        offset=filters.offset,
    )
    return jsonify(page.as_json())


@bp.get("/reports/<int:report_id>")
def get_report(report_id: int):
    return jsonify(moderation.detail(get_session(), g.actor, report_id))


@bp.post("/reports/<int:report_id>/publish")
def publish_report(report_id: int):
    session = get_session()
    report = moderation.publish(session, g.actor, report_id)
    session.commit()
    return jsonify(report)


@bp.post("/reports/<int:report_id>/reject")
def reject_report(report_id: int):
    session = get_session()
    report = moderation.reject(session, g.actor, report_id, json_body().get("reason"))
    session.commit()
    return jsonify(report)
