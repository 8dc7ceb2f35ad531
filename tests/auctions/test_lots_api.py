"""An officer offers a free parcel at an e-auction and records its result through the
API; the winner's contract follows from the lot and the parcel becomes leased."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from inventory import models as m
from tests import factories as f
from tests.auctions.conftest import lot_body


def _kf(db_session, code="trade"):
    return f.use(db_session, code).kf


def test_a_free_parcel_becomes_a_lot_with_the_norm_as_its_starting_rent(
    client, db_session, headers, free_parcel
):
    answer = client.post("/api/v1/lots", json=lot_body(free_parcel), headers=headers["officer_osh"])
    assert answer.status_code == 201, answer.get_json()
    lot = answer.get_json()
    norm = (Decimal("900") * Decimal("100") * Decimal("1.2") * _kf(db_session)).quantize(
        Decimal("0.01")
    )
    assert Decimal(str(lot["starting_rent"])) == norm
    assert lot["norm"] == float(norm)
    assert lot["status"] == "announced"
    assert lot["use"] == "trade" and lot["leased_area"] == 900.0
    assert lot["object"] == {
        "kind": "parcel",
        "id": free_parcel.id,
        "code": free_parcel.ident_code,
        "address": free_parcel.address,
    }
    listing = client.get(
        "/api/v1/lots?municipality=osh&status=announced&q=ЛОТ", headers=headers["auditor"]
    ).get_json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == lot["id"]


def test_a_leased_parcel_cannot_become_a_lot(client, db_session, headers, priced):
    contract = f.contract(db_session, f.parcel(db_session, priced))
    parcel = contract.objects[0].parcel
    answer = client.post("/api/v1/lots", json=lot_body(parcel), headers=headers["officer_osh"])
    assert answer.status_code == 409
    body = answer.get_json()
    assert body["field"] == "parcel_id" and contract.number in body["message"]
    assert db_session.scalar(sa.select(sa.func.count(m.AuctionLot.id))) == 0


def test_one_open_lot_per_parcel_and_only_officers_of_the_city(client, headers, free_parcel):
    first = client.post("/api/v1/lots", json=lot_body(free_parcel), headers=headers["officer_osh"])
    assert first.status_code == 201
    again = client.post(
        "/api/v1/lots", json=lot_body(free_parcel, number="ЛОТ-2"), headers=headers["officer_osh"]
    )
    assert again.status_code == 409 and "ЛОТ-1" in again.get_json()["message"]
    other = client.post(
        "/api/v1/lots",
        json={**lot_body(free_parcel, number="ЛОТ-3"), "municipality": "osh"},
        headers=headers["officer_ja"],
    )
    assert other.status_code == 403
    auditor = client.post(
        "/api/v1/lots",
        json={**lot_body(free_parcel, number="ЛОТ-4"), "municipality": "osh"},
        headers=headers["auditor"],
    )
    assert auditor.status_code == 403


def test_without_a_norm_the_starting_rent_must_be_given(client, db_session, headers, osh):
    parcel = f.parcel(db_session, osh)  # no zone, no base rate
    answer = client.post("/api/v1/lots", json=lot_body(parcel), headers=headers["officer_osh"])
    assert answer.status_code == 400 and answer.get_json()["field"] == "starting_rent"
    answer = client.post(
        "/api/v1/lots",
        json=lot_body(parcel, starting_rent=50000),
        headers=headers["officer_osh"],
    )
    assert answer.status_code == 201 and answer.get_json()["starting_rent"] == 50000.0


def test_the_winner_gets_an_auction_contract_and_the_parcel_is_leased(
    client, db_session, headers, free_parcel
):
    winner = f.lessee(db_session, free_parcel.municipality, name="ОсОО «Нур-Сервис»")
    lot = client.post(
        "/api/v1/lots",
        json=lot_body(free_parcel, starting_rent=100000),
        headers=headers["officer_osh"],
    ).get_json()
    below = client.post(
        f"/api/v1/lots/{lot['id']}/result",
        json={
            "version": lot["version"],
            "winner_id": winner.id,
            "final_rent": 90000,
            "protocol_number": "П-17",
            "contract_number": "ОШ-А-1",
        },
        headers=headers["officer_osh"],
    )
    assert below.status_code == 400 and below.get_json()["field"] == "final_rent"
    answer = client.post(
        f"/api/v1/lots/{lot['id']}/result",
        json={
            "version": lot["version"],
            "winner_id": winner.id,
            "final_rent": 135000,
            "bidders": 3,
            "protocol_number": "П-17",
            "protocol_date": "2026-12-20",
            "protocol_url": "https://e-auction.gov.kg/protocol/17",
            "contract_number": "ОШ-А-1",
        },
        headers=headers["officer_osh"],
    )
    assert answer.status_code == 201, answer.get_json()
    held = answer.get_json()
    assert held["status"] == "held"
    assert (
        held["result"]["winner"] == "ОсОО «Нур-Сервис»" and held["result"]["final_rent"] == 135000
    )
    contract = client.get(
        f"/api/v1/contracts/{held['result']['contract_id']}", headers=headers["officer_osh"]
    ).get_json()
    assert contract["basis"] == "auction" and contract["status"] == "active"
    assert "ЛОТ-1" in contract["basis_ref"] and "П-17" in contract["basis_ref"]
    assert contract["rent_amount"] == 135000 and contract["rent_period"] == "year"
    assert (contract["start_date"], contract["end_date"]) == ("2026-12-20", "2031-12-19")
    assert contract["objects"][0]["parcel_id"] == free_parcel.id
    db_session.refresh(free_parcel)
    assert free_parcel.status == m.ParcelStatus.LEASED
    again = client.post(
        f"/api/v1/lots/{lot['id']}/result",
        json={"version": held["version"], "no_bids": True},
        headers=headers["officer_osh"],
    )
    assert again.status_code == 409


def test_a_refused_contract_leaves_no_result_behind(client, db_session, headers, free_parcel):
    taken = f.contract(db_session, f.parcel(db_session, free_parcel.municipality))
    winner = f.lessee(db_session, free_parcel.municipality)
    lot = client.post(
        "/api/v1/lots", json=lot_body(free_parcel), headers=headers["officer_osh"]
    ).get_json()
    answer = client.post(
        f"/api/v1/lots/{lot['id']}/result",
        json={
            "version": lot["version"],
            "winner_id": winner.id,
            "final_rent": lot["starting_rent"],
            "protocol_number": "П-18",
            "contract_number": taken.number,
        },
        headers=headers["officer_osh"],
    )
    assert answer.status_code == 409 and answer.get_json()["field"] == "contract_number"
    assert (
        client.get(f"/api/v1/lots/{lot['id']}", headers=headers["officer_osh"]).get_json()["status"]
        == "announced"
    )


def test_no_bids_closes_the_lot_and_the_parcel_stays_free(client, db_session, headers, free_parcel):
    lot = client.post(
        "/api/v1/lots", json=lot_body(free_parcel), headers=headers["officer_osh"]
    ).get_json()
    answer = client.post(
        f"/api/v1/lots/{lot['id']}/result",
        json={"version": lot["version"], "no_bids": True, "protocol_number": "П-19"},
        headers=headers["officer_osh"],
    )
    assert answer.status_code == 201
    assert answer.get_json()["status"] == "no_bids"
    assert answer.get_json()["result"]["no_bids"] is True
    db_session.refresh(free_parcel)
    assert free_parcel.status == m.ParcelStatus.FREE
    history = client.get(
        f"/api/v1/lots/{lot['id']}/history", headers=headers["auditor"]
    ).get_json()["items"]
    assert {change["table"] for change in history} == {"auction_lot", "auction_result"}
    changed = client.patch(
        f"/api/v1/lots/{lot['id']}",
        json={"version": answer.get_json()["version"], "conditions": "x"},
        headers=headers["officer_osh"],
    )
    assert changed.status_code == 409


def test_the_winner_is_named_by_id_or_inn_of_the_lots_city(db_session, free_parcel, jalalabad):
    from inventory.services.auctions import results
    from inventory.services.errors import ValidationError

    lot = m.AuctionLot(
        municipality_id=free_parcel.municipality_id,
        number="W-1",
        parcel_id=free_parcel.id,
        starting_rent=1000,
        term_months=12,
        auction_date=dt.date(2026, 12, 20),
    )
    db_session.add(lot)
    db_session.flush()
    mine = f.lessee(db_session, free_parcel.municipality)
    other = f.lessee(db_session, jalalabad)
    assert results.winner_by_ref(db_session, lot, str(mine.id)) == mine.id
    assert results.winner_by_ref(db_session, lot, mine.inn) == mine.id
    for wrong in (str(other.id), other.inn, "²", "abc"):
        with pytest.raises(ValidationError):
            results.winner_by_ref(db_session, lot, wrong)


def test_amounts_beyond_what_is_stored_are_refused_by_field(client, headers, free_parcel):
    for name in ("starting_rent", "leased_area"):
        answer = client.post(
            "/api/v1/lots",
            json=lot_body(free_parcel, **{name: 1e15}),
            headers=headers["officer_osh"],
        )
        assert answer.status_code == 400 and answer.get_json()["field"] == name
