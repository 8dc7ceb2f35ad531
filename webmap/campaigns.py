"""Public pages of the contract review campaigns: what each campaign did, in figures,
with its public documents. Reads inventory.services.public.campaigns only."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, render_template, request, send_file

from inventory.database import get_public_session
from inventory.i18n import current_language
from inventory.services.public import campaigns
from webmap.blueprint import bp


@bp.get("/campaigns")
def campaigns_page():
    """Every review campaign with its figures; ?m= keeps one municipality."""
    session = get_public_session()
    return render_template(
        "webmap/campaigns.html",
        campaigns=campaigns.public_campaigns(
            session, current_language(), request.args.get("m") or None
        ),
    )


@bp.get("/campaigns/<int:campaign_id>")
def campaign_page(campaign_id: int):
    found = campaigns.public_campaign(get_public_session(), campaign_id, current_language())
    if found is None:
        abort(404)
    return render_template("webmap/campaign.html", campaign=found)


@bp.get("/campaigns/<int:campaign_id>/documents/<int:document_id>")
def campaign_document(campaign_id: int, document_id: int):
    found = campaigns.public_document_file(get_public_session(), campaign_id, document_id)
    if found is None:
        abort(404)
    stored, content_type, name = found
    path = Path(current_app.config["UPLOAD_DIR"]) / stored
    return send_file(path, mimetype=content_type, download_name=name)
