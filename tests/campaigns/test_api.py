"""Campaigns and documents through the API: lists with items and total and their
filters, and each municipality's people limited to their own."""

from __future__ import annotations

import io

import pytest

from inventory import models as m
from tests.campaigns.conftest import PDF, PNG


def _open(client, headers, who="admin", **data):
    body = {"municipality": "osh", "title": "Пересмотр", "deadline": "2030-01-31", **data}
    return client.post("/api/v1/campaigns", json=body, headers=headers[who])


def test_an_admin_opens_a_campaign_and_officers_review_it(client, headers, people, osh_contracts):
    opened = _open(client, headers, officers=[people["officer_osh"].id])
    assert opened.status_code == 201, opened.get_json()
    campaign = opened.get_json()
    assert campaign["results"]["contracts"] == 4
    assert campaign["officers"][0]["assigned"] == 4
    reviews = client.get(
        f"/api/v1/campaigns/{campaign['id']}/reviews?status=pending&limit=2",
        headers=headers["officer_osh"],
    ).get_json()
    assert (reviews["total"], len(reviews["items"])) == (4, 2)
    first = reviews["items"][0]
    page = client.get(
        f"/api/v1/campaigns/{campaign['id']}/reviews/{first['id']}", headers=headers["officer_osh"]
    ).get_json()
    assert page["contract"]["id"] == first["contract_id"] and "flags" in page
    decided = client.post(
        f"/api/v1/campaigns/{campaign['id']}/reviews/{first['id']}/decide",
        json={"version": page["version"], "outcome": "amended", "end_date": "2030-12-31"},
        headers=headers["officer_osh"],
    )
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["outcome"] == "amended" and decided.get_json()["successor_id"]
    again = client.post(
        f"/api/v1/campaigns/{campaign['id']}/reviews/{first['id']}/decide",
        json={"version": page["version"], "outcome": "kept"},
        headers=headers["officer_osh"],
    )
    assert again.status_code == 409
    summary = client.get(f"/api/v1/campaigns/{campaign['id']}", headers=headers["auditor"])
    assert summary.get_json()["results"]["amended"] == 1
    pending = client.get(
        f"/api/v1/campaigns/{campaign['id']}/reviews?status=amended", headers=headers["auditor"]
    ).get_json()
    assert pending["total"] == 1


def test_campaigns_are_read_only_in_their_own_city(client, headers, osh_contracts):
    campaign = _open(client, headers).get_json()
    assert _open(client, headers, who="officer_osh").status_code == 403
    assert (
        client.get(f"/api/v1/campaigns/{campaign['id']}", headers=headers["officer_ja"]).status_code
        == 403
    )
    assert client.get("/api/v1/campaigns", headers=headers["officer_ja"]).get_json()["total"] == 0
    assert client.get("/api/v1/campaigns", headers=headers["officer_osh"]).get_json()["total"] == 1
    listed = client.get(
        "/api/v1/campaigns?municipality=osh&status=open", headers=headers["auditor"]
    )
    assert listed.get_json()["total"] == 1
    assert (
        client.get("/api/v1/campaigns?status=closed", headers=headers["auditor"]).get_json()[
            "total"
        ]
        == 0
    )
    review = client.get(
        f"/api/v1/campaigns/{campaign['id']}/reviews", headers=headers["admin"]
    ).get_json()["items"][0]
    refused = client.post(
        f"/api/v1/campaigns/{campaign['id']}/reviews/{review['id']}/decide",
        json={"version": review["version"], "outcome": "kept"},
        headers=headers["auditor"],
    )
    assert refused.status_code == 403
    bad = _open(client, headers, deadline="2001-01-01")
    assert (bad.status_code, bad.get_json()["field"]) == (400, "deadline")


def _upload(client, headers, who, content=PDF, name="decision.pdf", **form):
    data = {"owner_kind": "contract", "kind": "contract_scan", **form}
    data["file"] = (io.BytesIO(content), name)
    return client.post(
        "/api/v1/documents", data=data, headers=headers[who], content_type="multipart/form-data"
    )


def test_documents_list_with_items_total_and_filters(client, headers, osh_contracts, jalalabad):
    contract = osh_contracts[0]
    scan = _upload(client, headers, "officer_osh", owner_id=str(contract.id), title="Скан договора")
    assert scan.status_code == 201, scan.get_json()
    decision = _upload(
        client,
        headers,
        "officer_osh",
        owner_id=str(contract.id),
        kind="council_decision",
        public="true",
        content=PNG,
        name="decision.png",
    )
    assert decision.status_code == 201, decision.get_json()
    assert decision.get_json()["content_type"] == "image/png" and decision.get_json()["public"]
    everything = client.get("/api/v1/documents", headers=headers["auditor"]).get_json()
    assert everything["total"] == 2 and len(everything["items"]) == 2
    for query, total in (
        (f"owner_kind=contract&owner_id={contract.id}", 2),
        ("kind=council_decision", 1),
        ("public=true", 1),
        ("q=скан", 1),
        ("municipality=osh", 2),
        ("municipality=jalal-abad", 0),
        ("limit=1", 2),
    ):
        body = client.get(f"/api/v1/documents?{query}", headers=headers["auditor"]).get_json()
        assert body["total"] == total, query
    assert client.get("/api/v1/documents", headers=headers["officer_ja"]).get_json()["total"] == 0
    document_id = scan.get_json()["id"]
    assert (
        client.get(f"/api/v1/documents/{document_id}", headers=headers["officer_ja"]).status_code
        == 403
    )
    fetched = client.get(f"/api/v1/documents/{document_id}/file", headers=headers["officer_osh"])
    assert fetched.data == PDF and fetched.mimetype == "application/pdf"
    assert _upload(client, headers, "officer_ja", owner_id=str(contract.id)).status_code == 403
    assert _upload(client, headers, "auditor", owner_id=str(contract.id)).status_code == 403
    archived = client.delete(f"/api/v1/documents/{document_id}", headers=headers["officer_osh"])
    assert archived.status_code == 200
    assert client.get("/api/v1/documents", headers=headers["auditor"]).get_json()["total"] == 1


def test_a_file_of_the_wrong_type_or_size_is_refused_by_name(
    client, headers, osh_contracts, monkeypatch
):
    from inventory.services import documents

    contract_id = str(osh_contracts[0].id)
    wrong = _upload(
        client,
        headers,
        "officer_osh",
        owner_id=contract_id,
        content=b"MZ\x90\x00 exe",
        name="x.pdf",
    )
    assert wrong.status_code == 400
    assert wrong.get_json()["field"] == "file" and "x.pdf" in wrong.get_json()["message"]
    monkeypatch.setattr(documents, "MAX_BYTES", 100)
    large = _upload(client, headers, "officer_osh", owner_id=contract_id, content=PDF + b"0" * 200)
    assert large.status_code == 400 and "larger than" in large.get_json()["message"]
    empty = _upload(client, headers, "officer_osh", owner_id=contract_id, content=b"")
    assert empty.status_code == 400
    nowhere = _upload(client, headers, "officer_osh", owner_id="999999")
    assert (nowhere.status_code, nowhere.get_json()["field"]) == (400, "owner_id")
    assert client.get("/api/v1/documents", headers=headers["admin"]).get_json()["total"] == 0


def test_documents_about_a_natural_person_are_never_public(
    client, headers, osh_contracts, db_session, osh
):
    private_contract = osh_contracts[3]
    assert private_contract.lessee.kind == m.LesseeKind.INDIVIDUAL
    for owner_kind, owner_id in (
        ("contract", private_contract.id),
        ("lessee", private_contract.lessee_id),
    ):
        refused = _upload(
            client,
            headers,
            "officer_osh",
            owner_kind=owner_kind,
            owner_id=str(owner_id),
            kind="council_decision",
            public="true",
        )
        assert (refused.status_code, refused.get_json()["field"]) == (400, "public"), owner_kind
    kept = _upload(
        client, headers, "officer_osh", owner_id=str(private_contract.id), kind="council_decision"
    ).get_json()
    flipped = client.patch(
        f"/api/v1/documents/{kept['id']}",
        json={"version": kept["version"], "public": True},
        headers=headers["officer_osh"],
    )
    assert (flipped.status_code, flipped.get_json()["field"]) == (400, "public")
    scan = _upload(client, headers, "officer_osh", owner_id=str(osh_contracts[0].id)).get_json()
    not_publishable = client.patch(
        f"/api/v1/documents/{scan['id']}",
        json={"version": scan["version"], "public": True},
        headers=headers["officer_osh"],
    )
    assert not_publishable.status_code == 400


def test_an_auction_protocol_attaches_to_a_lot_and_may_be_public(client, headers, db_session, osh):
    import datetime as dt
    from decimal import Decimal

    from tests import factories as f

    auction = pytest.importorskip("inventory.models.auction")
    lot = auction.AuctionLot(
        municipality_id=osh.id,
        number="ЛОТ-1",
        parcel_id=f.parcel(db_session, osh, status=m.ParcelStatus.FREE).id,
        starting_rent=Decimal("90000"),
        term_months=60,
        auction_date=dt.date(2027, 2, 1),
    )
    db_session.add(lot)
    db_session.flush()
    answer = _upload(
        client,
        headers,
        "officer_osh",
        owner_kind="lot",
        owner_id=str(lot.id),
        kind="auction_protocol",
        public="true",
    )
    assert answer.status_code == 201, answer.get_json()
    assert (answer.get_json()["owner_kind"], answer.get_json()["public"]) == ("lot", True)
    listed = client.get(
        f"/api/v1/documents?owner_kind=lot&owner_id={lot.id}", headers=headers["auditor"]
    )
    assert listed.get_json()["total"] == 1
