"""Auction lots in OCDS: a lot announced is a tender, a lot without bids an unsuccessful
one, and a lot won is one contracting process from the tender through the award (the
protocol) to the contract made from it, under one ocid; the package validates with
libcoveocds with no error and no field outside the standard and our extension."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from inventory.services.auctions import results
from inventory.services.auctions.lots import kind as lots
from inventory.services.opendata import ocds
from inventory.services.permissions import Actor
from tests import factories as f
from tests.opendata.ocds_offline import standard_zip
from tests.opendata.test_ocds_validation import _validate


@pytest.fixture()
def auction_package(live, db_session):
    osh = f.municipality(db_session, "osh")
    admin = f.user(db_session, "admin")
    actor = Actor.of(admin, source="ui")
    made = {}
    for number in ("A-1", "A-2", "A-3"):
        parcel = f.parcel(db_session, osh)
        made[number] = lots.create(
            db_session,
            actor,
            {
                "municipality": "osh",
                "number": number,
                "parcel_id": parcel.id,
                "term_months": 60,
                "starting_rent": 48000,
                "auction_date": "2026-11-20",
                "announced_on": "2026-10-20",
                "conditions": "Торговый павильон",
                "platform_ref": "https://e-auction.gov.kg/lot/" + number,
            },
        )
    winner = f.lessee(db_session, osh, name="ОсОО «Береке»")
    won = results.record_winner(
        db_session,
        actor,
        made["A-2"]["id"],
        {
            "version": made["A-2"]["version"],
            "winner_id": winner.id,
            "final_rent": 61000,
            "bidders": 4,
            "protocol_number": "17",
            "protocol_date": "2026-11-20",
            "protocol_url": "https://e-auction.gov.kg/protocol/17",
            "contract_number": "ОШ-АУК-1",
        },
    )
    results.record_no_bids(
        db_session, actor, made["A-3"]["id"], {"version": made["A-3"]["version"]}
    )
    db_session.flush()
    text = "".join(
        ocds.package_chunks(
            db_session,
            prefix="ocds-test01-",
            licence="https://creativecommons.org/licenses/by/4.0/",
            uri=f"{live}/opendata/ocds/releases.json",
            extension_url=f"{live}/opendata/ocds/extension/extension.json",
            published=dt.datetime.now(dt.UTC),
        )
    )
    return json.loads(text), made, won


def test_lots_are_tenders_and_a_won_lot_is_one_process_to_its_contract(auction_package):
    package, made, won = auction_package
    by_ocid = {release["ocid"]: release for release in package["releases"]}
    announced = by_ocid[f"ocds-test01-osh-lot-{made['A-1']['id']}"]
    assert announced["tag"] == ["tender"] and "awards" not in announced
    tender = announced["tender"]
    assert tender["status"] == "active" and tender["value"] == {
        "amount": 48000.0,
        "currency": "KGS",
    }
    assert tender["tenderPeriod"]["endDate"].startswith("2026-11-20T23:59:59")
    assert tender["documents"][0]["url"] == "https://e-auction.gov.kg/lot/A-1"
    assert tender["items"][0]["id"] == f"parcel-{made['A-1']['parcel_id']}"

    unsold = by_ocid[f"ocds-test01-osh-lot-{made['A-3']['id']}"]
    assert unsold["tender"]["status"] == "unsuccessful" and unsold["tag"] == ["tenderUpdate"]

    process = by_ocid[f"ocds-test01-osh-lot-{made['A-2']['id']}"]
    assert process["tag"] == ["tender", "award", "contract"]
    assert process["tender"]["status"] == "complete"
    assert process["tender"]["numberOfTenderers"] == 4
    award = process["awards"][0]
    assert award["value"]["amount"] == 61000.0
    assert award["suppliers"][0]["name"] == "ОсОО «Береке»"
    assert award["documents"][0]["url"] == "https://e-auction.gov.kg/protocol/17"
    contract = process["contracts"][0]
    assert contract["id"] == str(won["result"]["contract_id"])
    assert contract["awardID"] == award["id"] and contract["municipalLease"]["basis"] == "auction"
    # The contract is not published a second time under an ocid of its own.
    assert f"ocds-test01-osh-{won['result']['contract_id']}" not in by_ocid
    assert len(by_ocid) == len(package["releases"])


def test_the_package_with_lots_validates(auction_package, tmp_path, monkeypatch):
    package, _, _ = auction_package
    result = _validate(package, standard_zip(), tmp_path, monkeypatch)
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    assert result["additional_fields"] == []
    assert any("-lot-" in release["ocid"] for release in package["releases"])
