"""Review campaigns in the API: list and open campaigns, assign their contracts, read
one review prefilled and decide it, close a campaign.

Every route is one call to inventory.services.campaigns, which checks the caller's
rights per municipality (administrators open, assign and close; officers review their
own municipality's contracts; auditors read).
"""

from __future__ import annotations

from flask import g, jsonify, request

from inventory.api import bp
from inventory.database import get_session
from inventory.services.campaigns import figures, opening, reviewing
from inventory.services.errors import ValidationError
from inventory.services.records.paging import Filters
from inventory.web.settings import settings


@bp.get("/campaigns")
def list_campaigns():
    filters = Filters.from_args(request.args)
    page = opening.list_campaigns(
        get_session(),
        g.actor,
        municipality=filters.municipality,
        status=filters.status,
        limit=filters.limit,
        offset=filters.offset,
    )
    return jsonify(page.as_json())


@bp.post("/campaigns")
def open_campaign():
    session = get_session()
    # The body is checked after the caller's role: only an administrator hears about it.
    campaign = opening.open_campaign(session, g.actor, request.get_json(silent=True))
    session.commit()
    return jsonify(figures.campaign_json(session, campaign, officers=True)), 201


@bp.get("/campaigns/<int:campaign_id>")
def get_campaign(campaign_id: int):
    session = get_session()
    campaign = opening.load(session, g.actor, campaign_id)
    return jsonify(figures.campaign_json(session, campaign, officers=True))


@bp.post("/campaigns/<int:campaign_id>/assign")
def assign_campaign(campaign_id: int):
    session = get_session()
    counts = opening.assign(session, g.actor, campaign_id, request.get_json(silent=True))
    session.commit()
    return jsonify(assigned={str(k): v for k, v in counts.items()})


@bp.post("/campaigns/<int:campaign_id>/close")
def close_campaign(campaign_id: int):
    session = get_session()
    campaign = opening.close_campaign(session, g.actor, campaign_id)
    session.commit()
    return jsonify(figures.campaign_json(session, campaign, officers=True))


@bp.get("/campaigns/<int:campaign_id>/reviews")
def list_reviews(campaign_id: int):
    filters = Filters.from_args(request.args)
    officer = request.args.get("officer_id")
    if officer is not None and not officer.isdecimal():
        raise ValidationError("expected a whole number", field="officer_id")
    page = reviewing.list_reviews(
        get_session(),
        g.actor,
        campaign_id,
        outcome=filters.status,
        officer_id=int(officer) if officer else None,
        limit=filters.limit,
        offset=filters.offset,
    )
    return jsonify(page.as_json())


@bp.get("/campaigns/<int:campaign_id>/reviews/<int:review_id>")
def get_review(campaign_id: int, review_id: int):
    return jsonify(reviewing.prefilled(get_session(), g.actor, campaign_id, review_id))


@bp.post("/campaigns/<int:campaign_id>/reviews/<int:review_id>/decide")
def decide_review(campaign_id: int, review_id: int):
    session = get_session()
    reviewing.decide(
        session, g.actor, campaign_id, review_id, request.get_json(silent=True), settings()
    )
    session.commit()
    return jsonify(reviewing.prefilled(session, g.actor, campaign_id, review_id))
