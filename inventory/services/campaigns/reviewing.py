"""Reviewing one contract of a campaign: what the officer needs, prefilled, and the
decision.

The decision goes through the contracts' own service (inventory.services.records.
contracts): an amendment is a new contract superseding the old one (`successor`), a
termination a status change with its date (`update`). So the history triggers record
them like any edit, the parcel status follows the contracts, and the flags are
re-checked. The review keeps the outcome, who decided and when, the note, and the rent
the outcome leaves.
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
    ContractRelation,
    LeaseContract,
    RentPeriod,
    ReviewOutcome,
    Role,
)
from inventory.services import audit
from inventory.services.campaigns.opening import load as load_campaign
from inventory.services.errors import Conflict, Forbidden, NotFound, ValidationError
from inventory.services.permissions import Actor, require_read, require_write
from inventory.services.records import fields
from inventory.services.records.common import check_version, flush, iso, number
from inventory.services.records.contracts import kind as contracts
from inventory.services.records.money import arrears, rent_norm
from inventory.services.records.paging import Page

#: Fields of a decision; the amendment's terms are the contract's own fields.
_SPEC = {
    "outcome": fields.choice(ReviewOutcome),
    "note": fields.text(4000),
    "decided_on": fields.date(),
    "terminated_on": fields.date(),
    "reason": fields.text(1000),
    **{
        name: contracts.spec[name]
        for name in ("number", "start_date", "end_date", "rent_amount", "rent_period")
    },
    "contracted_use": contracts.spec["contracted_use"],
}
#: What an amendment may change: rent, term or use.
AMENDED_TERMS = ("rent_amount", "rent_period", "end_date", "contracted_use")

_FLAGS = sa.text("""
    SELECT f.id, f.rule, f.severity, f.message FROM anomaly_flag f
     WHERE f.status = 'open' AND (f.contract_id = :id OR f.parcel_id IN (
           SELECT co.parcel_id FROM contract_object co WHERE co.contract_id = :id))
     ORDER BY f.rule, f.id
""")
_OBSERVED = sa.text("""
    SELECT i.inspected_on, u.code AS observed_use, i.occupied
      FROM inspection i JOIN contract_object co ON co.parcel_id = i.parcel_id
      LEFT JOIN land_use u ON u.id = i.observed_use_id
     WHERE co.contract_id = :id AND i.archived_at IS NULL
     ORDER BY i.inspected_on DESC, i.id DESC LIMIT 1
""")


def load(session: so.Session, actor: Actor, campaign_id: int, review_id: int) -> CampaignReview:
    review = session.get(CampaignReview, review_id)
    if review is None or review.campaign_id != campaign_id:
        raise NotFound("no review %(id)s in this campaign", id=review_id)
    require_read(actor, review.campaign.municipality_id)
    return review


def review_json(session: so.Session, review: CampaignReview) -> dict[str, Any]:
    """A review as lists show it."""
    c = review.contract
    return {
        "id": review.id,
        "campaign_id": review.campaign_id,
        "contract_id": c.id,
        "contract_number": c.number,
        "lessee": {"id": c.lessee.id, "name": c.lessee.name, "kind": c.lessee.kind.value},
        "officer_id": review.officer_id,
        "officer": review.officer.username if review.officer else None,
        "outcome": review.outcome.value,
        "decided_on": iso(review.decided_on),
        "note": review.note,
        "successor_id": review.successor_id,
        "termination_reason": review.termination_reason,
        "rent_before": number(review.rent_before),
        "rent_after": number(review.rent_after),
        "arrears_before": number(review.arrears_before),
        "version": review.version,
    }


def list_reviews(
    session: so.Session,
    actor: Actor,
    campaign_id: int,
    *,
    outcome: str | None = None,
    officer_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """The campaign's reviews in contract order, by outcome and officer."""
    load_campaign(session, actor, campaign_id)
    query = sa.select(CampaignReview).where(CampaignReview.campaign_id == campaign_id)
    if outcome:
        if outcome not in [o.value for o in ReviewOutcome]:
            raise ValidationError(
                "expected one of: %(values)s",
                field="status",
                values=", ".join(o.value for o in ReviewOutcome),
            )
        query = query.where(CampaignReview.outcome == outcome)
    if officer_id is not None:
        query = query.where(CampaignReview.officer_id == officer_id)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.join(LeaseContract, LeaseContract.id == CampaignReview.contract_id)
        .order_by(LeaseContract.number, CampaignReview.id)
        .limit(limit)
        .offset(offset)
    )
    return Page([review_json(session, r) for r in rows], total, limit, offset)


def prefilled(session: so.Session, actor: Actor, campaign_id: int, review_id: int):
    """Everything an officer weighs, on one page: the contract, its documents, its rent
    against the norm, the use last seen against the contracted use, its arrears and its
    open flags."""
    from inventory.services import documents

    review = load(session, actor, campaign_id, review_id)
    c = review.contract
    seen = session.execute(_OBSERVED, {"id": c.id}).first()
    contracted = c.contracted_use.code if c.contracted_use else None
    return {
        **review_json(session, review),
        "contract": contracts.to_json(session, c),
        "documents": documents.attached(session, "contract", c.id),
        "rent": {"annual": number(c.annual_rent), "norm": rent_norm(session, c.id)},
        "use": {
            "contracted": contracted,
            "observed": seen.observed_use if seen else None,
            "inspected_on": iso(seen.inspected_on) if seen else None,
            "matches": (seen.observed_use == contracted) if seen and seen.observed_use else None,
        },
        "arrears": arrears(session, c.id),
        "flags": [
            {"id": f.id, "rule": f.rule, "severity": f.severity, "message": f.message}
            for f in session.execute(_FLAGS, {"id": c.id})
        ],
    }


def decide(
    session: so.Session,
    actor: Actor,
    campaign_id: int,
    review_id: int,
    data: Mapping[str, Any],
    settings: Mapping[str, Any] | None = None,
) -> CampaignReview:
    """Record the outcome of a review and do what it says to the contract. The caller
    commits; on any refusal nothing is kept (the caller rolls back)."""
    review = load(session, actor, campaign_id, review_id)
    campaign = review.campaign
    require_write(actor, campaign.municipality_id)
    if actor.role == Role.OFFICER and review.officer_id not in (None, actor.user_id):
        raise Forbidden("this contract is assigned to another officer", field="officer")
    if campaign.status != CampaignStatus.OPEN:
        raise Conflict("this campaign is closed", field="status")
    if not isinstance(data, Mapping):
        raise ValidationError("expected a JSON object")
    check_version(review, data.get("version"))
    if review.outcome != ReviewOutcome.PENDING:
        raise Conflict("this contract's review is already decided", field="outcome")
    values = fields.parse(session, data, _SPEC, required=("outcome",), ignore=("version",))
    outcome = values["outcome"]
    if outcome == ReviewOutcome.PENDING:
        raise ValidationError("choose how the review ends", field="outcome")
    decided_on = values.get("decided_on") or dt.date.today()
    contract = review.contract
    if outcome == ReviewOutcome.AMENDED:
        review.successor_id, review.rent_after = _amend(
            session, actor, contract, data, values, decided_on, settings
        )
    elif outcome == ReviewOutcome.TERMINATED:
        _terminate(session, actor, contract, values, decided_on, settings)
        review.termination_reason = values["reason"]
        review.rent_after = 0
    else:
        review.rent_after = contract.annual_rent
    audit.set_actor(session, actor.user_id, actor.source)
    review.outcome = outcome
    review.decided_on = decided_on
    review.decided_by_id = actor.user_id
    review.note = values.get("note")
    flush(session)
    return review


def _amend(session, actor, contract, data, values, decided_on, settings):
    terms = {name: data[name] for name in AMENDED_TERMS if data.get(name) not in (None, "")}
    if not terms:
        raise ValidationError(
            "an amendment changes the rent, the term or the use", field="rent_amount"
        )
    body = {
        **terms,
        "number": data.get("number") or _amendment_number(session, contract),
        "start_date": data.get("start_date") or decided_on.isoformat(),
        "version": contract.version,
    }
    new = contracts.successor(
        session, actor, contract.id, body, ContractRelation.AMENDMENT, settings
    )
    rent = new["rent_amount"] * (12 if new["rent_period"] == RentPeriod.MONTH.value else 1)
    return new["id"], rent


def _terminate(session, actor, contract, values, decided_on, settings) -> None:
    if not values.get("reason"):
        raise ValidationError("required: why the contract is terminated", field="reason")
    ended = values.get("terminated_on") or decided_on
    if ended < contract.start_date:
        raise ValidationError("the termination is before the contract began", field="terminated_on")
    contracts.update(
        session,
        actor,
        contract.id,
        {"status": "terminated", "terminated_on": ended.isoformat(), "version": contract.version},
        settings,
    )


def _amendment_number(session: so.Session, contract: LeaseContract) -> str:
    """The old number with "/и1", "/и2"... (изменение), the first one not taken."""
    for n in range(1, 100):
        candidate = f"{contract.number[:54]}/и{n}"
        taken = session.scalar(
            sa.select(LeaseContract.id).where(
                LeaseContract.municipality_id == contract.municipality_id,
                LeaseContract.number == candidate,
            )
        )
        if taken is None:
            return candidate
    raise ValidationError("required", field="number")
