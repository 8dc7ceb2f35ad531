"""Every record the API returns matches the schema its own OpenAPI document declares:
nulls only where a field is nullable, every code among its enum, no undocumented field.
Clients generated from the document (and schemathesis-style checks) rely on it."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator

from inventory import models as m
from inventory.services.records import KINDS
from tests import factories as f


def _json_schema(node):
    """OpenAPI 3.0 schema -> JSON Schema: `nullable: true` becomes a null type."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
    return node


def _strict(schema: dict) -> None:
    """No field beyond the documented ones, in a record (and a Feature's properties)."""
    schema["additionalProperties"] = False
    inner = schema["properties"].get("properties")
    if isinstance(inner, dict) and "properties" in inner:
        inner["additionalProperties"] = False


@pytest.fixture()
def records(db_session, osh):
    """One record of every kind, with every optional field left empty."""
    parcel = f.parcel(db_session, osh, address=None, note=None)
    lessee = f.lessee(db_session, osh, phone=None, email=None, address=None, document=None)
    contract = f.contract(db_session, parcel, lessee=lessee, signed_on=None, note=None)
    building = m.Building(municipality_id=osh.id, inventory_number="ОШ-Б-0001")
    payment = m.Payment(contract_id=contract.id, paid_on=dt.date(2025, 3, 1), amount=Decimal("100"))
    inspection = m.Inspection(
        municipality_id=osh.id,
        parcel_id=parcel.id,
        inspected_on=dt.date(2025, 3, 2),
        inspector="А. Токтогулов",
    )
    db_session.add_all([building, payment, inspection])
    db_session.flush()
    return {"contract": contract}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_record_matches_its_documented_schema(client, headers, records, name):
    document = client.get("/api/v1/openapi.json").get_json()
    components = _json_schema(copy.deepcopy(document["components"]))
    for kind in KINDS:
        _strict(components["schemas"][kind])
    record = Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": components}
    )
    page = client.get(f"/api/v1/{name}?limit=500", headers=headers["admin"]).get_json()
    assert page["items"], name
    for item in page["items"]:
        problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in record.iter_errors(item)]
        assert problems == [], (name, problems)
        one = client.get(f"/api/v1/{name}/{item['id']}", headers=headers["admin"]).get_json()
        assert list(record.iter_errors(one)) == []


def test_a_superseded_contract_matches_the_document(client, headers, records):
    contract = records["contract"]
    path = f"/api/v1/contracts/{contract.id}"
    version = client.get(path, headers=headers["admin"]).get_json()["version"]
    renewed = client.post(
        f"{path}/renew",
        headers=headers["admin"],
        json={"version": version, "number": "ОШ-R-1", "end_date": "2040-12-31"},
    )
    assert renewed.status_code == 201, renewed.get_json()
    document = client.get("/api/v1/openapi.json").get_json()
    statuses = document["components"]["schemas"]["contracts"]["properties"]["status"]["enum"]
    old = client.get(path, headers=headers["admin"]).get_json()
    assert old["status"] == "superseded" and "superseded" in statuses
