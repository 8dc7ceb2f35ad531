"""The concrete call the route walk makes for a rule: its path with real ids, its body.

Variables are filled by name; a variable nobody has taught the walk fails it loudly
(VariableUnknown) rather than being skipped.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

from tests import factories as f
from tests.api.conftest import polygon

#: Endpoints that serve files the test database has none of (an open-data snapshot not
#: yet generated, a report photo): for them 404 counts as "allowed", as long as nobody is
#: refused with 401/403 and nothing fails with 5xx.
NOT_FOUND_OK = {"opendata.download", "webmap.report_photo", "office.report_photo"}


def may_be_missing(endpoint: str, rule: str) -> bool:
    """Whether a 404 is acceptable for an allowed caller of this route."""
    return endpoint in NOT_FOUND_OK or any(f"{name}>" in rule for name in NOT_MADE)


_ID_NAMES = {
    "parcel_id": "parcels",
    "building_id": "buildings",
    "contract_id": "contracts",
    "lessee_id": "lessees",
    "inspection_id": "inspections",
    "payment_id": "payments",
    "report_id": "reports",
    "user_id": "users",
    "municipality_id": "municipalities",
    "lot_id": "lots",
}
_VARIABLE = re.compile(r"<(?:(?P<converter>[a-z]+)(?P<args>\([^)]*\))?:)?(?P<name>[a-z_]+)>")
#: Variables naming things the walk's world does not make (an anomaly flag, a photo, an
#: import in progress, a change to restore): filled with 1 or "x"; a 404 then proves only
#: that nobody was refused or crashed. Give them real records to make the walk stronger.
NOT_MADE = {
    "flag_id": "1",
    "photo_id": "1",
    "change_id": "1",
    "token": "x",
    "line_id": "1",
    "synonym_id": "1",
    "campaign_id": "1",
    "review_id": "1",
    "document_id": "1",
}


class VariableUnknown(LookupError):
    """A route has a variable the walk cannot fill with a real value."""


def tile_over_osh(z: int = 14) -> tuple[int, int, int]:
    """The z/x/y of the web-mercator tile holding the centre of Osh."""
    lon, lat = f.OSH
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def _static_file(app, endpoint: str) -> str:
    blueprint = endpoint.rpartition(".")[0]
    folder = app.static_folder if not blueprint else app.blueprints[blueprint].static_folder
    first = next(p for p in sorted(Path(folder).rglob("*")) if p.is_file())
    return first.relative_to(folder).as_posix()


def _value(app, endpoint: str, rule: str, name: str, world) -> str:
    z, x, y = tile_over_osh()
    if name in ("z", "x", "y"):
        return str({"z": z, "x": x, "y": y}[name])
    if name == "record_id":
        # The kind is the segment before the id: /api/v1/parcels/<int:record_id>, or
        # /office/<name>/<int:record_id> where <name> is filled with "parcels".
        segments = rule.split("/")
        kind = segments[segments.index("<int:record_id>") - 1]
        return str(world.ids["parcels" if kind.startswith("<") else kind])
    if name == "name" and rule.startswith("/office/<name>"):
        return "parcels"
    if name == "kind" and endpoint == "office.lookup_records":
        return "lessees"
    if name == "fmt" and endpoint == "office.export_list":
        return "csv"
    if name == "action" and "any(" in rule:
        return re.search(r"any\((\w+)", rule)[1]
    if name in NOT_MADE:
        return NOT_MADE[name]
    if name in _ID_NAMES:
        return str(world.ids[_ID_NAMES[name]])
    if name == "collection_id":
        return "parcels"
    if name == "feature_id":
        return str(world.ids["parcels"])
    if name == "filename":
        return _static_file(app, endpoint)
    if name == "name" and endpoint == "opendata.ocds_extension":
        return "extension.json"
    if name == "name" and endpoint == "opendata.download":
        return "parcels.geojson"
    raise VariableUnknown(
        f"{rule}: the walk has no value for <{name}>; teach it one in tests/security/walk_values.py"
    )


def _body(endpoint: str, world) -> dict | None:
    """A valid body for the API's writes, so only the caller's role decides the answer."""
    ids, versions = world.ids, world.versions
    kind, _, action = endpoint.removeprefix("api.").partition("_")
    if action == "update_record":
        return {"version": versions[kind]}
    bodies = {
        "parcels": {
            "municipality": "osh",
            "ident_code": "5-08-01-0999-0001",
            "address": "ул. Курманжан Датка, 5",
            "designated_use": "trade",
            "documented_area": 900,
            "geometry": polygon(f.square(72.79, 40.52)),
        },
        "buildings": {
            "municipality": "osh",
            "inventory_number": "ИНВ-WALK",
            "parcel_id": ids["parcels"],
            "floor_area": 120,
            "geometry": polygon(f.square(72.80, 40.53, metres=10)),
        },
        "lessees": {"municipality": "osh", "kind": "individual", "name": "Иванов И."},
        "contracts": {
            "municipality": "osh",
            "number": "ОШ-2025-WALK",
            "lessee_id": ids["lessees"],
            "start_date": "2025-01-01",
            "end_date": "2027-12-31",
            "contracted_use": "trade",
            "rent_amount": 60000,
            "basis": "auction",
            "leased_area": 300,
            "objects": [{"parcel_id": ids["parcels"]}],
        },
        "payments": {"contract_id": ids["contracts"], "paid_on": "2025-03-10", "amount": 10000},
        "lots": {
            "municipality": "osh",
            "number": "ЛОТ-WALK",
            "parcel_id": ids["free_parcel"],
            "term_months": 24,
            "auction_date": "2027-01-20",
            "starting_rent": 40000,
        },
        "inspections": {
            "parcel_id": ids["parcels"],
            "inspected_on": "2025-05-01",
            "inspector": "А. Осмонов",
            "observed_use": "catering",
            "occupied": True,
        },
    }
    if action == "create_record":
        return bodies[kind]
    if endpoint == "api.create_import":
        return _import_form
    if endpoint == "api.open_campaign":
        return {"municipality": "osh", "title": "Обход", "deadline": "2030-01-31"}
    if endpoint == "api.upload_document":
        return lambda: {
            "owner_kind": "contract",
            "owner_id": str(ids["contracts"]),
            "kind": "contract_scan",
            "file": (io.BytesIO(b"%PDF-1.4 walk"), "scan.pdf"),
        }
    if endpoint == "api.record_lot_result":
        return {"version": versions["lots"], "no_bids": True}
    if endpoint == "api.reject_report":
        return {"reason": "Повтор: о кафе уже сообщили."}
    if endpoint in ("api.amend_contract", "api.renew_contract"):
        # An amendment starts within the contract's term, a renewal after it.
        start = "2025-06-01" if endpoint == "api.amend_contract" else "2029-01-01"
        return {
            "version": versions["contracts"],
            "number": "ОШ-2029-WALK",
            "start_date": start,
            "end_date": "2030-12-31",
            "rent_amount": 70000,
        }
    return None


def _import_form() -> dict:
    """A multipart form with a one-row lessee file of Osh, new for every call."""
    csv = "key,name,kind,inn\nL-WALK,ОсОО «Обход»,legal_entity,01234567890123\n".encode()
    return {
        "kind": "lessees",
        "municipality": "osh",
        "dry_run": "true",
        "file": (io.BytesIO(csv), "lessees.csv"),
    }


#: Query strings some routes need to answer 200 (a bounding box, a search term).
QUERIES = {
    "webmap.zones_geojson": "bbox=72.7,40.45,72.9,40.6",
    "webmap.search_json": "q=Ленина",
    "webmap.parcels_in_view_json": "bbox=72.7,40.45,72.9,40.6",
    "webmap.boundaries_geojson": "",
}


def build_call(app, endpoint: str, rule: str, method: str, world):
    """The path (variables filled with real values, query added) and the body: a JSON
    dict, a function making a fresh multipart form, or None."""
    path = _VARIABLE.sub(lambda match: _value(app, endpoint, rule, match["name"], world), rule)
    if QUERIES.get(endpoint):
        path += "?" + QUERIES[endpoint]
    return path, _body(endpoint, world) if method in ("POST", "PATCH", "PUT") else None
