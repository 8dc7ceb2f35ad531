"""The demo ships one finished review campaign of Jalal-Abad: every active contract
reviewed, more than a fifth amended or terminated, as the 2019-2020 project reported,
and its figures on the public page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services import demo
from inventory.services.campaigns import figures

pytestmark = pytest.mark.slow


def test_the_demo_campaign_is_finished_with_a_fifth_amended_or_terminated(app, client, db_session):
    demo.load_demo(db_session, password="demo")
    active = db_session.scalar(
        sa.select(sa.func.count())
        .select_from(m.LeaseContract)
        .join(m.Municipality)
        .where(m.Municipality.slug == "jalal-abad", m.LeaseContract.status == "active")
    )
    with app.app_context():
        campaign_id = demo.campaign_demo(db_session)
        assert demo.campaign_demo(db_session) == campaign_id  # loading again: nothing new
    campaign = db_session.get(m.ReviewCampaign, campaign_id)
    results = figures.results(db_session, campaign_id)
    assert campaign.status == m.CampaignStatus.CLOSED
    assert results["contracts"] == active and results["reviewed_share"] == 1.0
    assert results["changed_share"] >= 0.20
    assert results["rent_after"] != results["rent_before"]
    terminated = db_session.scalars(
        sa.select(m.CampaignReview).where(
            m.CampaignReview.campaign_id == campaign_id, m.CampaignReview.outcome == "terminated"
        )
    ).all()
    for review in terminated:
        assert review.contract.status == m.ContractStatus.TERMINATED
        for obj in (o for o in review.contract.objects if o.parcel is not None):
            db_session.refresh(obj.parcel)
            assert obj.parcel.status != m.ParcelStatus.LEASED or any(
                c.status == m.ContractStatus.ACTIVE
                for c in db_session.scalars(
                    sa.select(m.LeaseContract)
                    .join(m.ContractObject)
                    .where(m.ContractObject.parcel_id == obj.parcel_id)
                )
            )
    html = client.get(f"/campaigns/{campaign_id}?lang=en").get_data(as_text=True)
    share = float(re.search(r'class="changed-share">([\d.]+) %', html)[1])
    assert share >= 20.0
    assert f'<dd class="contracts">{active}</dd>' in html
