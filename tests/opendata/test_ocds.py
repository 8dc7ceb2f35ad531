"""The lease contracts as an OCDS 1.1 release package: structure and the extension."""

from __future__ import annotations

import json

import jsonschema

from inventory.services.opendata import ocds


def _package(client):
    response = client.get("/opendata/ocds/releases.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_an_auction_lease_has_tender_award_and_contract(client, inventory):
    package = _package(client)
    assert package["version"] == "1.1" and package["license"].startswith("https://")
    assert package["extensions"] == ["http://localhost/opendata/ocds/extension/extension.json"]
    release = next(
        r
        for r in package["releases"]
        if r["contracts"][0]["id"] == str(inventory.company_contract.id)
    )
    assert release["ocid"].startswith("ocds-kgmun0-osh-")
    assert release["tag"] == ["tender", "award", "contract"]
    assert release["tender"]["submissionMethod"] == ["electronicAuction"]
    contract = release["contracts"][0]
    assert contract["awardID"] == release["awards"][0]["id"]
    assert contract["value"] == {"amount": 120000.0, "currency": "KGS"}
    assert contract["period"]["startDate"].startswith("2024-01-01T00:00:00")
    item = contract["items"][0]
    assert item["classification"]["id"] == "trade" and item["unit"]["id"] == "MTK"
    assert item["quantity"] > 0
    lease = contract["municipalLease"]
    assert lease["rentPeriod"] == "month" and lease["rentAmount"]["amount"] == 10000
    assert lease["leasedArea"] == 900 and lease["basisReference"] == "АУК-2023-17"


def test_a_decision_lease_has_no_tender_and_a_private_lessee_no_identity(client, inventory):
    release = next(
        r
        for r in _package(client)["releases"]
        if r["contracts"][0]["id"] == str(inventory.private_contract.id)
    )
    assert "tender" not in release and release["contracts"][0]["status"] == "terminated"
    lessee = release["parties"][1]
    assert lessee["name"] == "Частное лицо" and "identifier" not in lessee


def test_the_extension_is_served_and_its_patch_is_a_valid_schema(client, inventory):
    meta = client.get("/opendata/ocds/extension/extension.json").get_json()
    assert meta["compatibility"] == ["1.1"] and meta["schemas"] == ["release-schema.json"]
    patch = client.get("/opendata/ocds/extension/release-schema.json").get_json()
    definitions = {
        **patch["definitions"],
        "Value": {"type": "object"},
        "Classification": {"type": "object"},
    }
    schema = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "definitions": definitions,
        "$ref": "#/definitions/MunicipalLease",
    }
    jsonschema.Draft4Validator.check_schema(schema)
    for release in _package(client)["releases"]:
        jsonschema.Draft4Validator(schema).validate(release["contracts"][0]["municipalLease"])
    assert client.get("/opendata/ocds/extension/..%2F..%2Focds.py").status_code == 404


def test_the_package_streams_valid_json(db_session, inventory):
    import datetime as dt

    text = "".join(
        ocds.package_chunks(
            db_session,
            prefix="p-",
            licence="l",
            uri="u",
            extension_url="e",
            published=dt.datetime.now(dt.UTC),
        )
    )
    assert len(json.loads(text)["releases"]) == 2


def test_the_ocid_prefix_and_the_licence_are_the_settings(app, client, inventory):
    app.config["OCDS_OCID_PREFIX"] = "ocds-x7k2q9-"
    app.config["OPENDATA_LICENCE"] = "https://opendatacommons.org/licenses/odbl/1-0/"
    package = _package(client)
    assert package["license"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert {r["ocid"][:12] for r in package["releases"]} == {"ocds-x7k2q9-"}
    assert all(r["id"].startswith(r["ocid"]) for r in package["releases"])
