"""Review campaigns in the services: which contracts a campaign takes, how they are
shared out, and what each outcome does to the contract, its parcel and the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.campaigns import figures, opening, reviewing
from inventory.services.errors import Conflict, Forbidden, ValidationError
from tests import factories as f

TODAY = dt.date(2026, 3, 1)


def _open(db_session, actors, **data):
    body = {"municipality": "osh", "title": "Пересмотр 2026", "deadline": "2026-06-30", **data}
    return opening.open_campaign(db_session, actors["admin"], body, today=TODAY)


def test_a_campaign_takes_every_active_contract_of_its_city(db_session, actors, osh_contracts):
    campaign = _open(db_session, actors)
    assert sorted(r.contract_id for r in campaign.reviews) == sorted(c.id for c in osh_contracts)
    assert all(r.outcome == m.ReviewOutcome.PENDING for r in campaign.reviews)
    assert figures.results(db_session, campaign.id)["rent_before"] == 406000.0


def test_flagged_scope_and_a_rule_take_only_contracts_with_such_an_open_flag(
    db_session, actors, osh, osh_contracts
):
    flagged = osh_contracts[1]
    db_session.add(
        m.AnomalyFlag(
            municipality_id=osh.id,
            rule="rent_below_norm",
            severity=m.Severity.WARNING,
            fingerprint=f"c:{flagged.id}",
            contract_id=flagged.id,
            message="rent below the norm",
            evidence={},
            evidence_hash="x",
        )
    )
    db_session.flush()
    campaign = _open(db_session, actors, scope="flagged", rule="rent_below_norm")
    assert [r.contract_id for r in campaign.reviews] == [flagged.id]
    with pytest.raises(ValidationError) as refused:
        _open(db_session, actors, scope="flagged", rule="arrears")
    assert refused.value.field == "scope"
    with pytest.raises(ValidationError) as unknown:
        _open(db_session, actors, rule="no_such_rule")
    assert unknown.value.field == "rule"


def test_only_an_administrator_opens_a_campaign(db_session, actors, osh_contracts):
    body = {"municipality": "osh", "title": "x", "deadline": "2026-06-30"}
    for who in ("officer_osh", "auditor"):
        with pytest.raises(Forbidden):
            opening.open_campaign(db_session, actors[who], body)


def test_contracts_are_shared_evenly_between_the_officers(db_session, actors, people, osh):
    for n in range(5):
        f.contract(db_session, number=f"ОШ-Е-{n}")
    second = f.user(db_session, "officer", osh, username="officer-osh-2")
    campaign = _open(db_session, actors, officers=[people["officer_osh"].id, second.id])
    counts = {
        row["username"]: row["assigned"] for row in figures.by_officer(db_session, campaign.id)
    }
    assert counts == {"officer-osh": 3, "officer-osh-2": 2}
    with pytest.raises(ValidationError) as other_city:
        opening.assign(
            db_session, actors["admin"], campaign.id, {"officers": [people["officer_ja"].id]}
        )
    assert other_city.value.field == "officers"


def test_an_amendment_supersedes_the_contract_and_keeps_its_history(
    db_session, actors, osh_contracts
):
    campaign = _open(db_session, actors)
    review = next(r for r in campaign.reviews if r.contract_id == osh_contracts[0].id)
    reviewing.decide(
        db_session,
        actors["officer_osh"],
        campaign.id,
        review.id,
        {
            "version": review.version,
            "outcome": "amended",
            "rent_amount": "150000",
            "decided_on": "2026-03-10",
            "note": "аренда ниже нормы",
        },
    )
    old = db_session.get(m.LeaseContract, osh_contracts[0].id)
    new = db_session.get(m.LeaseContract, review.successor_id)
    assert old.status == m.ContractStatus.SUPERSEDED
    assert (new.previous_id, new.relation, new.rent_amount) == (
        old.id,
        m.ContractRelation.AMENDMENT,
        Decimal("150000.00"),
    )
    assert new.start_date == dt.date(2026, 3, 10) and new.number == "ОШ-К-1/и1"
    history = db_session.scalar(
        sa.select(sa.func.count())
        .select_from(m.ChangeRecord)
        .where(m.ChangeRecord.table_name == "lease_contract", m.ChangeRecord.record_id == old.id)
    )
    assert history >= 2  # created, then superseded
    results = figures.results(db_session, campaign.id)
    assert (results["amended"], results["reviewed"], results["rent_after"]) == (1, 1, 456000.0)


def test_an_amendment_must_change_rent_term_or_use(db_session, actors, osh_contracts):
    campaign = _open(db_session, actors)
    review = campaign.reviews[0]
    with pytest.raises(ValidationError) as refused:
        reviewing.decide(
            db_session,
            actors["admin"],
            campaign.id,
            review.id,
            {"version": review.version, "outcome": "amended"},
        )
    assert refused.value.field == "rent_amount"


def test_a_termination_frees_the_parcel_and_needs_a_reason(db_session, actors, osh_contracts):
    campaign = _open(db_session, actors)
    contract = osh_contracts[2]
    parcel = contract.objects[0].parcel
    db_session.refresh(parcel)
    assert parcel.status == m.ParcelStatus.LEASED
    review = next(r for r in campaign.reviews if r.contract_id == contract.id)
    with pytest.raises(ValidationError) as no_reason:
        reviewing.decide(
            db_session,
            actors["officer_osh"],
            campaign.id,
            review.id,
            {"version": review.version, "outcome": "terminated"},
        )
    assert no_reason.value.field == "reason"
    reviewing.decide(
        db_session,
        actors["officer_osh"],
        campaign.id,
        review.id,
        {
            "version": review.version,
            "outcome": "terminated",
            "terminated_on": "2026-03-15",
            "reason": "участок используется не по назначению",
        },
    )
    db_session.refresh(contract)
    db_session.refresh(parcel)
    assert contract.status == m.ContractStatus.TERMINATED
    assert contract.terminated_on == dt.date(2026, 3, 15)
    assert parcel.status == m.ParcelStatus.FREE
    assert figures.results(db_session, campaign.id)["rent_after"] == 406000.0 - 102000.0


def test_a_review_is_decided_once_by_its_officer_in_its_city(
    db_session, actors, people, osh_contracts
):
    campaign = _open(db_session, actors)
    review = campaign.reviews[0]
    second = f.user(db_session, "officer", review.campaign.municipality, username="officer-osh-3")
    opening.assign(
        db_session, actors["admin"], campaign.id, {"reviews": [review.id], "officer": second.id}
    )
    kept = {"version": review.version, "outcome": "kept"}
    with pytest.raises(Forbidden):
        reviewing.decide(db_session, actors["officer_osh"], campaign.id, review.id, kept)
    with pytest.raises(Forbidden):
        reviewing.decide(db_session, actors["officer_ja"], campaign.id, review.id, kept)
    reviewing.decide(db_session, actors["admin"], campaign.id, review.id, kept)
    with pytest.raises(Conflict):
        reviewing.decide(
            db_session,
            actors["admin"],
            campaign.id,
            review.id,
            {"version": review.version, "outcome": "court"},
        )


def test_a_campaign_closes_when_every_contract_is_reviewed(db_session, actors, osh_contracts):
    campaign = _open(db_session, actors)
    with pytest.raises(Conflict):
        opening.close_campaign(db_session, actors["admin"], campaign.id)
    for review in campaign.reviews:
        reviewing.decide(
            db_session,
            actors["admin"],
            campaign.id,
            review.id,
            {"version": review.version, "outcome": "court" if review.id % 2 else "kept"},
        )
    closed = opening.close_campaign(db_session, actors["admin"], campaign.id, today=TODAY)
    assert closed.status == m.CampaignStatus.CLOSED
    assert figures.results(db_session, campaign.id)["reviewed_share"] == 1.0


def test_arrears_recovered_count_payments_since_the_opening_up_to_the_arrears(
    db_session, actors, osh_contracts
):
    campaign = _open(db_session, actors)
    review = campaign.reviews[0]
    review.arrears_before = Decimal("5000")
    f.payment(
        db_session, review.contract, paid_on=TODAY + dt.timedelta(days=3), amount=Decimal("3000")
    )
    f.payment(
        db_session, review.contract, paid_on=TODAY + dt.timedelta(days=9), amount=Decimal("4000")
    )
    f.payment(
        db_session, review.contract, paid_on=TODAY - dt.timedelta(days=9), amount=Decimal("900")
    )
    db_session.flush()
    assert figures.results(db_session, campaign.id)["arrears_recovered"] == 5000.0


def test_the_review_page_is_prefilled(db_session, actors, osh_contracts):
    campaign = _open(db_session, actors)
    contract = osh_contracts[0]
    f.inspection(db_session, contract.objects[0].parcel, observed="catering")
    review = next(r for r in campaign.reviews if r.contract_id == contract.id)
    page = reviewing.prefilled(db_session, actors["auditor"], campaign.id, review.id)
    assert page["contract"]["number"] == contract.number
    assert page["use"] == {
        "contracted": "trade",
        "observed": "catering",
        "inspected_on": page["use"]["inspected_on"],
        "matches": False,
    }
    assert set(page["arrears"]) == {"due", "paid", "amount"}
    assert page["rent"]["annual"] == 100000.0
    assert page["documents"] == [] and page["flags"] == []


def test_a_zone_takes_only_contracts_with_a_parcel_inside_it(db_session, actors, osh):
    inside = f.contract(db_session, f.parcel(db_session, osh, shape=f.square(72.80, 40.53)))
    f.contract(db_session, f.parcel(db_session, osh, shape=f.square(72.84, 40.55)))
    zone = f.zone(db_session, osh, shape=f.square(72.80, 40.53, metres=500), code="Z1")
    campaign = _open(db_session, actors, zone=zone.id)
    assert [r.contract_id for r in campaign.reviews] == [inside.id]
    assert campaign.selection == {"scope": "active", "rule": None, "zone": zone.id}
    other = f.zone(
        db_session, f.municipality(db_session, "nookat", centre=(72.62, 40.26)), code="N1"
    )
    with pytest.raises(ValidationError) as refused:
        _open(db_session, actors, zone=other.id)
    assert refused.value.field == "zone"
