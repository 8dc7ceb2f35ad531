"""Review campaigns in the workspace, through HTTP: an administrator opens one, an
officer reviews a contract from the prefilled page, and the progress shows it."""

from __future__ import annotations

import io
import re

from inventory import models as m
from tests.campaigns.conftest import PDF


def test_an_admin_opens_a_campaign_and_an_officer_terminates_a_contract(
    clients, db_session, people, osh_contracts
):
    admin, officer, foreign = clients("admin", "officer_osh", "officer_ja")
    assert admin.get("/office/campaigns/new").status_code == 200
    refused = admin.post("/office/campaigns/new", data={"municipality": "osh", "title": "x"})
    assert refused.status_code == 400 and "Срок: " in refused.get_data(as_text=True)
    opened = admin.post(
        "/office/campaigns/new",
        data={
            "municipality": "osh",
            "title": "Пересмотр 2026",
            "deadline": "2030-06-30",
            "scope": "active",
            "officers": [str(people["officer_osh"].id)],
        },
    )
    assert opened.status_code == 303
    campaign_path = opened.headers["Location"]
    page = officer.get(campaign_path + "?mine=1").get_data(as_text=True)
    assert "ОШ-К-3" in page
    review_path = re.search(r'href="([^"]+/reviews/\d+)">ОШ-К-3<', page)[1]
    review_page = officer.get(review_path).get_data(as_text=True)
    assert "Open flags" in review_page or "review-facts" in review_page
    version = re.search(r'name="version" value="(\d+)"', review_page)[1]
    missing = officer.post(review_path, data={"version": version, "outcome": "terminated"})
    assert missing.status_code == 400 and "Причина: " in missing.get_data(as_text=True)
    done = officer.post(
        review_path,
        data={
            "version": version,
            "outcome": "terminated",
            "terminated_on": "2026-03-01",
            "reason": "не используется",
            "files": (io.BytesIO(PDF), "akt.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 303
    contract = osh_contracts[2]
    db_session.refresh(contract)
    assert contract.status == m.ContractStatus.TERMINATED
    progress = officer.get(campaign_path).get_data(as_text=True)
    assert re.search(r'data-officer="officer-osh">.*?<td class="reviewed">1</td>', progress, re.S)
    notes = (
        db_session.query(m.Document)
        .filter_by(owner_kind=m.OwnerKind.CONTRACT, owner_id=contract.id)
        .all()
    )
    assert [d.original_name for d in notes] == ["akt.pdf"]
    assert foreign.get(campaign_path).status_code in (403, 404)
    assert officer.get("/office/campaigns/new").status_code == 403


def test_a_contract_page_lists_its_documents_and_takes_new_ones(clients, db_session, osh_contracts):
    (officer,) = clients("officer_osh")
    contract = osh_contracts[0]
    page = f"/office/contracts/{contract.id}"
    assert "No documents yet." in officer.get(page + "?lang=en").get_data(as_text=True)
    answer = officer.post(
        "/office/documents",
        data={
            "owner_kind": "contract",
            "owner_id": str(contract.id),
            "kind": "contract_scan",
            "title": "Договор с печатью",
            "next": page,
            "file": (io.BytesIO(PDF), "dogovor.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert (answer.status_code, answer.headers["Location"]) == (303, page)
    html = officer.get(page + "?lang=en").get_data(as_text=True)
    assert "Договор с печатью" in html
    link = re.search(r'href="(/office/documents/\d+/file)"', html)[1]
    assert officer.get(link).data == PDF
    refused = officer.post(
        "/office/documents",
        data={
            "owner_kind": "contract",
            "owner_id": str(contract.id),
            "kind": "contract_scan",
            "next": page,
            "file": (io.BytesIO(b"GIF89a not allowed"), "x.gif"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 303
    assert "x.gif" in officer.get(page + "?lang=en").get_data(as_text=True)  # the flashed reason


def test_an_admin_gives_one_contract_to_an_officer_by_hand(
    clients, db_session, people, actors, osh_contracts
):
    from inventory.services.campaigns import opening

    campaign = opening.open_campaign(
        db_session,
        actors["admin"],
        {"municipality": "osh", "title": "Пересмотр", "deadline": "2030-06-30"},
    )
    review = campaign.reviews[0]
    admin, officer = clients("admin", "officer_osh")
    page = f"/office/campaigns/{campaign.id}/reviews/{review.id}"
    assert 'class="office-filter assign-one"' in admin.get(page).get_data(as_text=True)
    assert 'class="office-filter assign-one"' not in officer.get(page).get_data(as_text=True)
    answer = admin.post(
        f"/office/campaigns/{campaign.id}/assign",
        data={"review": str(review.id), "officer": str(people["officer_osh"].id)},
    )
    assert (answer.status_code, answer.headers["Location"]) == (303, page)
    db_session.refresh(review)
    assert review.officer_id == people["officer_osh"].id
    refused = officer.post(
        f"/office/campaigns/{campaign.id}/assign",
        data={"review": str(review.id), "officer": str(people["officer_osh"].id)},
    )
    assert refused.status_code == 403
