"""Opening a review campaign: which contracts, assigned to whom, by when.

A campaign covers the active contracts of one municipality chosen by `scope` ("active":
all of them; "flagged": those with an open anomaly flag on the contract or one of its
parcels), optionally narrowed to one anomaly `rule` and one economic `zone` (a contract
is in the zone when one of its parcels lies in it). Each contract gets a review holding
its annual rent and arrears of that day. Only an administrator opens, assigns and closes
a campaign; officers read their own municipality's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import (
    CampaignReview,
    CampaignStatus,
    EconomicZone,
    LeaseContract,
    ReviewCampaign,
    ReviewOutcome,
    Role,
    User,
)
from inventory.services import audit
from inventory.services.campaigns.figures import campaign_json
from inventory.services.errors import Conflict, Forbidden, NotFound, ValidationError
from inventory.services.permissions import Actor, can_write, readable_municipality, require_read
from inventory.services.records import fields
from inventory.services.records.common import flush, municipality_id
from inventory.services.records.money import arrears
from inventory.services.records.paging import Page

SCOPES = ("active", "flagged")

_SPEC = {
    "title": fields.text(200, required=True),
    "opened_on": fields.date(),
    "deadline": fields.date(required=True),
    "scope": fields.text(20),
    "rule": fields.text(40),
    "zone": fields.integer(1),
}

#: Open flags on the contract or on one of its parcels (of one rule, when :rule is set).
_FLAGGED = """EXISTS (SELECT 1 FROM anomaly_flag f
     WHERE f.status = 'open' AND (CAST(:rule AS text) IS NULL OR f.rule = :rule)
       AND (f.contract_id = c.id OR f.parcel_id IN (
            SELECT co.parcel_id FROM contract_object co WHERE co.contract_id = c.id)))"""
_IN_ZONE = """EXISTS (SELECT 1 FROM contract_object co JOIN parcel p ON p.id = co.parcel_id
     JOIN economic_zone z ON z.id = :zone
     WHERE co.contract_id = c.id AND ST_Intersects(z.geom, ST_PointOnSurface(p.geom)))"""


def require_admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden("only an administrator opens, assigns or closes a review campaign")


def chosen_contracts(
    session: so.Session,
    municipality: int,
    scope: str = "active",
    rule: str | None = None,
    zone: int | None = None,
) -> list[int]:
    """Ids of the municipality's active contracts the filters choose, in id order."""
    where = ["c.municipality_id = :m", "c.status = 'active'", "c.archived_at IS NULL"]
    if scope == "flagged" or rule:
        where.append(_FLAGGED)
    if zone is not None:
        where.append(_IN_ZONE)
    sql = f"SELECT c.id FROM lease_contract c WHERE {' AND '.join(where)} ORDER BY c.id"
    return list(session.scalars(sa.text(sql), {"m": municipality, "rule": rule, "zone": zone}))


def open_campaign(
    session: so.Session, actor: Actor, data: Mapping[str, Any], today: dt.date | None = None
) -> ReviewCampaign:
    """A new campaign over the contracts `data` chooses, each with its review; officers
    listed in `officers` (user ids) get the contracts evenly. The caller commits."""
    require_admin(actor)
    if not isinstance(data, Mapping):
        raise ValidationError("expected a JSON object body (Content-Type: application/json)")
    values = fields.parse(
        session,
        data,
        _SPEC,
        required=("title", "deadline"),
        ignore=("municipality", "officers"),
    )
    municipality = municipality_id(session, data.get("municipality"), actor)
    opened_on = values.get("opened_on") or today or dt.date.today()
    if values["deadline"] < opened_on:
        raise ValidationError("the deadline is before the opening day", field="deadline")
    scope = values.get("scope") or "active"
    if scope not in SCOPES:
        raise ValidationError(
            "expected one of: %(values)s", field="scope", values="active, flagged"
        )
    rule = values.get("rule") or None
    if rule is not None:
        from inventory.services.anomalies import RULES

        if rule not in RULES:
            raise ValidationError("no anomaly rule '%(rule)s'", field="rule", rule=rule)
    zone = values.get("zone")
    if zone is not None:
        found = session.get(EconomicZone, zone)
        if found is None or found.municipality_id != municipality:
            raise ValidationError("no such economic zone in this municipality", field="zone")
    ids = chosen_contracts(session, municipality, scope, rule, zone)
    if not ids:
        raise ValidationError("no active contract matches these filters", field="scope")
    audit.set_actor(session, actor.user_id, actor.source)
    campaign = ReviewCampaign(
        municipality_id=municipality,
        title=values["title"],
        opened_on=opened_on,
        deadline=values["deadline"],
        selection={"scope": scope, "rule": rule, "zone": zone},
        opened_by_id=actor.user_id,
    )
    contracts = session.scalars(sa.select(LeaseContract).where(LeaseContract.id.in_(ids)))
    for contract in contracts:
        campaign.reviews.append(
            CampaignReview(
                contract_id=contract.id,
                rent_before=contract.annual_rent,
                arrears_before=arrears(session, contract.id, today=opened_on)["amount"],
            )
        )
    session.add(campaign)
    flush(session)
    if data.get("officers"):
        assign(session, actor, campaign.id, {"officers": data["officers"]})
    return campaign


def load(session: so.Session, actor: Actor, campaign_id: int) -> ReviewCampaign:
    campaign = session.get(ReviewCampaign, campaign_id)
    if campaign is None:
        raise NotFound("no review campaign %(id)s", id=campaign_id)
    require_read(actor, campaign.municipality_id)
    return campaign


def assign(
    session: so.Session, actor: Actor, campaign_id: int, data: Mapping[str, Any]
) -> dict[str, int]:
    """Give reviews to officers: `officers` (user ids) share the pending reviews evenly,
    round the list in contract order (only the unassigned ones with `only_unassigned`);
    or `reviews` (ids) all go to `officer`. Returns how many each officer now has."""
    require_admin(actor)
    campaign = load(session, actor, campaign_id)
    if campaign.status != CampaignStatus.OPEN:
        raise Conflict("this campaign is closed", field="status")
    if not isinstance(data, Mapping):
        raise ValidationError("expected a JSON object")
    if "reviews" in data:
        officers = _officers(session, campaign, [data.get("officer")], field="officer")
        wanted = _ids(data["reviews"], "reviews")
        chosen = [r for r in campaign.reviews if r.id in wanted]
        if len(chosen) != len(wanted):
            raise ValidationError("a review of another campaign", field="reviews")
    else:
        officers = _officers(session, campaign, data.get("officers"), field="officers")
        chosen = [
            r
            for r in sorted(campaign.reviews, key=lambda r: r.contract_id)
            if r.outcome == ReviewOutcome.PENDING
            and (r.officer_id is None or not data.get("only_unassigned"))
        ]
    audit.set_actor(session, actor.user_id, actor.source)
    for index, review in enumerate(chosen):
        review.officer_id = officers[index % len(officers)]
    flush(session)
    counts: dict[int, int] = {}
    for review in campaign.reviews:
        if review.officer_id is not None:
            counts[review.officer_id] = counts.get(review.officer_id, 0) + 1
    return counts


def _ids(value: Any, field: str) -> list[int]:
    if not isinstance(value, list) or not value:
        raise ValidationError("expected a list of ids", field=field)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise ValidationError("expected a list of ids", field=field)
    return list(dict.fromkeys(value))


def _officers(session: so.Session, campaign: ReviewCampaign, value: Any, field: str) -> list[int]:
    """The user ids, checked: active officers of the campaign's municipality or admins."""
    ids = _ids(value, field)
    users = {u.id: u for u in session.scalars(sa.select(User).where(User.id.in_(ids)))}
    for user_id in ids:
        user = users.get(user_id)
        if user is None or not user.active:
            raise ValidationError("no active user %(id)s", field=field, id=user_id)
        if not can_write(Actor.of(user), campaign.municipality_id):
            raise ValidationError(
                "%(user)s may not change this municipality's contracts",
                field=field,
                user=user.username,
            )
    return ids


def close_campaign(
    session: so.Session, actor: Actor, campaign_id: int, today: dt.date | None = None
) -> ReviewCampaign:
    """Close a campaign whose every review is decided."""
    require_admin(actor)
    campaign = load(session, actor, campaign_id)
    if campaign.status == CampaignStatus.CLOSED:
        return campaign
    pending = sum(1 for r in campaign.reviews if r.outcome == ReviewOutcome.PENDING)
    if pending:
        raise Conflict("%(count)s contracts are still to review", field="status", count=pending)
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_on = today or dt.date.today()
    flush(session)
    return campaign


def list_campaigns(
    session: so.Session,
    actor: Actor,
    *,
    municipality: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Campaigns the actor may read, newest first, with their progress."""
    query = sa.select(ReviewCampaign)
    confined = readable_municipality(actor)
    if confined is not None:
        query = query.where(ReviewCampaign.municipality_id == confined)
    if municipality:
        wanted = municipality_id(session, municipality, actor)
        require_read(actor, wanted)
        query = query.where(ReviewCampaign.municipality_id == wanted)
    if status:
        if status not in [s.value for s in CampaignStatus]:
            raise ValidationError(
                "expected one of: %(values)s", field="status", values="open, closed"
            )
        query = query.where(ReviewCampaign.status == status)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(ReviewCampaign.opened_on.desc(), ReviewCampaign.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return Page([campaign_json(session, c) for c in rows], total, limit, offset)
