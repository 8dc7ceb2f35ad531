"""The public campaign pages: the figures a finished campaign reached, and only public
documents that are about no natural person."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from inventory.services.campaigns import opening, reviewing
from tests import factories as f
from tests.campaigns.conftest import PDF


def _finished(db_session, actors, contracts):
    campaign = opening.open_campaign(
        db_session,
        actors["admin"],
        {"municipality": "osh", "title": "Пересмотр договоров Оша", "deadline": "2026-06-30"},
        today=dt.date(2026, 3, 1),
    )
    outcomes = {
        contracts[0].id: {"outcome": "amended", "rent_amount": "200000"},
        contracts[1].id: {"outcome": "terminated", "reason": "нецелевое использование"},
        contracts[2].id: {"outcome": "kept"},
        contracts[3].id: {"outcome": "court"},
    }
    for review in campaign.reviews:
        reviewing.decide(
            db_session,
            actors["admin"],
            campaign.id,
            review.id,
            {"version": review.version, "decided_on": "2026-04-01", **outcomes[review.contract_id]},
        )
    campaign.reviews[0].arrears_before = Decimal("1000")
    f.payment(
        db_session, campaign.reviews[0].contract, paid_on=dt.date(2026, 3, 5), amount=Decimal("400")
    )
    opening.close_campaign(db_session, actors["admin"], campaign.id, today=dt.date(2026, 4, 2))
    return campaign


def test_the_public_page_shows_what_a_finished_campaign_did(
    client, db_session, actors, osh_contracts
):
    campaign = _finished(db_session, actors, osh_contracts)
    listing = client.get("/campaigns?lang=en").get_data(as_text=True)
    assert "Пересмотр договоров Оша" in listing
    html = client.get(f"/campaigns/{campaign.id}?lang=en").get_data(as_text=True)
    assert '<dd class="contracts">4</dd>' in html
    assert '<dd class="amended">1</dd>' in html and '<dd class="terminated">1</dd>' in html
    assert '<dd class="changed-share">50.0 %</dd>' in html
    # 100 000 + 101 000 + 102 000 + 103 000 before; 200 000, 0, 102 000, 103 000 after.
    assert "406,000" in html and "405,000" in html
    assert '<dd class="arrears-recovered">400' in html
    assert "нецелевое" not in html  # no review's note or reason is published
    for name in (c.lessee.name for c in osh_contracts):
        assert name not in html
    ru = client.get(f"/campaigns/{campaign.id}?lang=ru").get_data(as_text=True)
    assert "Изменено или расторгнуто" in ru
    assert client.get("/campaigns/999999").status_code == 404
    assert 'href="/campaigns"' in client.get("/").get_data(as_text=True)  # from the map


def test_only_public_documents_about_no_natural_person_reach_the_public(
    client, db_session, actors, headers, osh_contracts
):
    campaign = _finished(db_session, actors, osh_contracts)

    def upload(**form):
        data = {"file": (io.BytesIO(PDF), "reshenie.pdf"), **form}
        answer = client.post(
            "/api/v1/documents",
            data=data,
            headers=headers["admin"],
            content_type="multipart/form-data",
        )
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    decision = upload(
        owner_kind="campaign",
        owner_id=str(campaign.id),
        kind="council_decision",
        title="Решение кенеша о пересмотре",
        public="true",
    )
    hidden = upload(
        owner_kind="campaign", owner_id=str(campaign.id), kind="review_note", title="Записка"
    )
    html = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Решение кенеша о пересмотре" in html and "Записка" not in html
    got = client.get(f"/campaigns/{campaign.id}/documents/{decision['id']}")
    assert got.status_code == 200 and got.data == PDF
    assert client.get(f"/campaigns/{campaign.id}/documents/{hidden['id']}").status_code == 404


def test_a_public_document_leaves_the_public_once_its_lessee_is_a_natural_person(
    db_session, actors, osh_contracts, tmp_path
):
    import sqlalchemy as sa

    from inventory import models as m
    from inventory.services import documents

    contract = osh_contracts[0]
    document = documents.add_document(
        db_session,
        actors["officer_osh"],
        {
            "owner_kind": "contract",
            "owner_id": contract.id,
            "kind": "council_decision",
            "public": True,
        },
        PDF,
        "reshenie.pdf",
        tmp_path,
    )

    def visible() -> list[int]:
        return list(
            db_session.scalars(sa.select(m.Document.id).where(documents.publicly_visible_sql()))
        )

    assert visible() == [document.id]
    contract.lessee.kind = m.LesseeKind.INDIVIDUAL
    contract.lessee.inn = None
    db_session.flush()
    assert visible() == []
