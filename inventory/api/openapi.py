"""The OpenAPI 3 description of `/api/v1`, as a Python dict.

Kept next to the routes and checked by tests/api/test_openapi.py: every rule of the app
under /api/v1 must appear here, and every field a service accepts must be in its body.
"""

from __future__ import annotations

from typing import Any

from inventory.api.openapi_campaigns import campaign_paths, document_paths
from inventory.api.openapi_lots import LOT_EXTRA, result_path
from inventory.api.openapi_reports import report_paths
from inventory.services.auctions.lots import kind as lots
from inventory.services.records import KINDS, Kind
from inventory.services.records.descriptor import Field
from inventory.services.terms import MAX_TERM_LENGTH
from inventory.version import __version__

S = {"type": "string"}
N = {"type": "number"}
I = {"type": "integer"}  # noqa: E741
B = {"type": "boolean"}
D = {"type": "string", "format": "date"}
NULL_S = {"type": "string", "nullable": True}
#: A search term or text filter, at most MAX_TERM_LENGTH characters (services.terms).
TERM = {"type": "string", "maxLength": MAX_TERM_LENGTH}


def _enum(*values: str) -> dict:
    return {"type": "string", "enum": list(values)}


GEOMETRY = {
    "type": "object",
    "nullable": True,
    "description": "GeoJSON Polygon or MultiPolygon in EPSG:4326 (lon, lat); must be "
    "valid and inside the municipality boundary",
}
MUNICIPALITY = {
    "type": "string",
    "description": "municipality slug (osh, jalal-abad, nookat); an officer's own when left out",
}

OBJECTS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"parcel_id": I, "building_id": I, "leased_area": N},
    },
}
NULL_I = {**I, "nullable": True}
NULL_N = {**N, "nullable": True}
#: A contract's objects as the API returns them: ids and the codes officers know them by.
OBJECTS_OUT = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "parcel_id": NULL_I,
            "building_id": NULL_I,
            "ident_code": NULL_S,
            "inventory_number": NULL_S,
            "leased_area": NULL_N,
        },
    },
}
POINT = {
    "type": "object",
    "nullable": True,
    "description": "GeoJSON Point in EPSG:4326 (lon, lat)",
}
#: What a record's JSON carries besides its fields: its identity, version and times, and
#: the municipality it belongs to (by slug; an inspection by id).
ENVELOPE = {"id": I, "version": I, "archived_at": NULL_S, "created_at": S, "updated_at": S}
MUNICIPALITY_OF = {
    "payments": {"municipality": S},
    "inspections": {"municipality_id": I},
}

#: The schema of each field type (inventory.services.records.descriptor.TYPES).
TYPE_SCHEMAS = {
    "text": S,
    "textarea": S,
    "decimal": N,
    "integer": I,
    "record": I,
    "date": D,
    "boolean": B,
    "geometry": GEOMETRY,
    "objects": OBJECTS,
    "point": POINT,
}


def field_schema(f: Field, *, response: bool = False) -> dict[str, Any]:
    """The schema of a field: in a request body (the values a client may set) or in a
    response (every value the record can have; null where the field is optional)."""
    if f.type == "objects" and response:
        return OBJECTS_OUT
    if f.type == "choice":
        schema = _enum(*([m.value for m in f.enum] if response else f.choices))
    elif f.type == "code":
        schema = {**S, "description": f.description or "reference code"}
    elif f.type == "shown":
        schema = dict(TYPE_SCHEMAS[f.shows])
    else:
        schema = dict(TYPE_SCHEMAS[f.type])
    if f.pattern:
        schema["pattern"] = f.pattern
    if response and not f.required:
        schema["nullable"] = True
    return schema


def _request_fields(kind: Kind) -> dict[str, Any]:
    accepted = {f.name: field_schema(f) for f in kind.fields if f.accepted}
    return {"municipality": MUNICIPALITY, **accepted} if kind.has_municipality else accepted


#: The kinds with the usual routes: the records', and auction lots (inventory.api.lots).
DESCRIBED: dict[str, Kind] = {**KINDS, "lots": lots}
#: The fields each kind accepts in POST and PATCH bodies, from the kinds' descriptors.
FIELDS: dict[str, dict[str, Any]] = {name: _request_fields(k) for name, k in DESCRIBED.items()}
REQUIRED = {name: list(kind.required) for name, kind in DESCRIBED.items()}
SEARCHED = {name: kind.searched for name, kind in DESCRIBED.items()}
FEATURES = {name for name, kind in DESCRIBED.items() if kind.feature}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


ERRORS = {
    "400": _error("invalid input; `field` names it"),
    "401": _error("no valid token and no signed-in session"),
    "403": _error("the role or municipality of the caller does not allow this"),
    "404": _error("no such record"),
    "409": _error("stale `version` or a duplicate value; reload and retry"),
}


def _errors(*codes: str) -> dict:
    return {code: ERRORS[code] for code in codes}


def _param(name: str, where: str, schema: dict, description: str, required: bool = False) -> dict:
    return {
        "name": name,
        "in": where,
        "schema": schema,
        "description": description,
        "required": required or where == "path",
    }


ID = _param("record_id", "path", I, "the record's id")


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _ok(description: str, schema: dict, code: str = "200") -> dict:
    return {code: {"description": description, "content": {"application/json": {"schema": schema}}}}


def _kind_paths(kind: str) -> dict[str, dict]:
    record = {"$ref": f"#/components/schemas/{kind}"}
    create = {"type": "object", "properties": FIELDS[kind], "required": REQUIRED[kind]}
    patch = {
        "type": "object",
        "required": ["version"],
        "properties": {
            **{k: v for k, v in FIELDS[kind].items() if k != "municipality"},
            "version": {**I, "description": "the version you loaded"},
        },
    }
    listing = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": record},
            "total": I,
            "limit": I,
            "offset": I,
        },
    }
    return {
        f"/api/v1/{kind}": {
            "get": {
                "summary": f"List {kind}",
                "tags": [kind],
                "parameters": [
                    _param("municipality", "query", TERM, "municipality slug"),
                    _param("status", "query", TERM, "only this status"),
                    _param("q", "query", TERM, f"search the {SEARCHED[kind]}"),
                    _param(
                        "limit",
                        "query",
                        {**I, "minimum": 1, "maximum": 500, "default": 50},
                        "page size",
                    ),
                    _param("offset", "query", {**I, "minimum": 0, "default": 0}, "skip so many"),
                    _param("archived", "query", B, "include archived records"),
                ],
                "responses": {
                    **_ok("a page and the total", listing),
                    **_errors("400", "401", "403"),
                },
            },
            "post": {
                "summary": f"Create one of {kind}",
                "tags": [kind],
                "requestBody": _body(create),
                "responses": {
                    **_ok("created (with `warnings` when any)", record, "201"),
                    **_errors("400", "401", "403", "409"),
                },
            },
        },
        f"/api/v1/{kind}/{{record_id}}": {
            "get": {
                "summary": "Read one",
                "tags": [kind],
                "parameters": [ID],
                "responses": {**_ok("the record", record), **_errors("401", "403", "404")},
            },
            "patch": {
                "summary": "Change the fields sent",
                "tags": [kind],
                "parameters": [ID],
                "requestBody": _body(patch),
                "responses": {
                    **_ok("the changed record", record),
                    **_errors("400", "401", "403", "404", "409"),
                },
            },
            "delete": {
                "summary": "Archive (hidden from lists, history kept)",
                "tags": [kind],
                "parameters": [
                    ID,
                    _param("version", "query", I, "refuse (409) unless this is the version"),
                ],
                "responses": {
                    **_ok("the archived record", record),
                    **_errors("401", "403", "404", "409"),
                },
            },
        },
        f"/api/v1/{kind}/{{record_id}}/history": {
            "get": {
                "summary": "Every change: who, when, what",
                "tags": [kind],
                "parameters": [ID],
                "responses": {
                    **_ok(
                        "changes, oldest first",
                        {
                            "type": "object",
                            "properties": {
                                "items": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Change"},
                                }
                            },
                        },
                    ),
                    **_errors("401", "403", "404"),
                },
            },
        },
    }


def _successor(relation: str) -> dict:
    body = {
        "type": "object",
        "required": ["version", "number"] + (["end_date"] if relation == "renewal" else []),
        "properties": {
            **{
                k: v
                for k, v in FIELDS["contracts"].items()
                if k not in ("municipality", "status", "terminated_on")
            },
            "version": {**I, "description": "the old contract's version"},
        },
    }
    return {
        "post": {
            "summary": f"Make a {relation}: a new linked contract; the old one is superseded",
            "tags": ["contracts"],
            "parameters": [ID],
            "requestBody": _body(body),
            "responses": {
                **_ok(
                    f"the new contract (previous_id, relation={relation})",
                    {"$ref": "#/components/schemas/contracts"},
                    "201",
                ),
                **_errors("400", "401", "403", "404", "409"),
            },
        }
    }


def _schemas() -> dict:
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error", "message"],
            "properties": {"error": S, "message": S, "field": S},
        },
        "Change": {
            "type": "object",
            "properties": {
                "at": {**S, "format": "date-time"},
                "action": _enum("insert", "update", "delete"),
                "user": NULL_S,
                "user_id": {**I, "nullable": True},
                "source": NULL_S,
                "changed": {"type": "array", "items": S},
                "before": {"type": "object", "nullable": True},
                "after": {"type": "object", "nullable": True},
            },
        },
    }
    for kind, described in DESCRIBED.items():
        common = {**ENVELOPE, **MUNICIPALITY_OF.get(kind, {"municipality": S})}
        plain = {
            f.name: field_schema(f, response=True) for f in described.fields if f.type != "geometry"
        }
        if kind in FEATURES:
            schemas[kind] = {
                "type": "object",
                "description": "GeoJSON Feature",
                "properties": {
                    "type": _enum("Feature"),
                    "id": I,
                    "geometry": GEOMETRY,
                    "properties": {"type": "object", "properties": {**plain, **common}},
                    "warnings": {"type": "array", "items": {"type": "object"}},
                },
            }
        else:
            schemas[kind] = {"type": "object", "properties": {**plain, **common}}
    schemas["contracts"]["properties"].update(
        {
            "lessee": {"type": "object", "properties": {"id": I, "name": S, "kind": S}},
            "arrears": {"type": "object", "properties": {"due": N, "paid": N, "amount": N}},
            "rent_norm": {
                "type": "object",
                "nullable": True,
                "properties": {
                    "annual": {**N, "nullable": True},
                    "area": N,
                    "rate_factor": N,
                    "ratio": N,
                },
            },
        }
    )
    schemas["lots"]["properties"].update(LOT_EXTRA)
    return schemas


def _imports() -> dict:
    report = {
        "type": "object",
        "properties": {
            "kind": S,
            "source": S,
            "rows": I,
            "created": I,
            "updated": I,
            "unchanged": I,
            "dry_run": B,
            "ok": B,
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "row": {**I, "nullable": True},
                        "field": NULL_S,
                        "message": S,
                        "severity": _enum("error", "warning"),
                    },
                },
            },
        },
    }
    body = {
        "type": "object",
        "required": ["file", "kind"],
        "properties": {
            "file": {
                "type": "string",
                "format": "binary",
                "description": "GeoJSON, GeoPackage, zipped Shapefile, KML, CSV or XLSX; at most "
                "IMPORT_MAX_BYTES; zip bombs and paths leaving the archive are refused",
            },
            "kind": _enum(
                "parcels", "buildings", "lessees", "contracts", "payments", "inspections"
            ),
            "municipality": MUNICIPALITY,
            "crs": {
                **S,
                "description": "EPSG code when the file has no .prj (4326, 7693, "
                "7694, 28413, 28412, 3857)",
            },
            "encoding": {
                **S,
                "description": "DBF/CSV encoding when there is no .cpg "
                "(utf-8, cp1251, cp866, koi8-r); detected if left out",
            },
            "columns": {
                **S,
                "description": "JSON object {field: column header}; remembered "
                "per municipality after a successful import",
            },
            "dry_run": {**B, "description": "report what would change, write nothing"},
        },
    }
    return {
        "post": {
            "summary": "Import a file: all rows or none",
            "tags": ["imports"],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": body}}},
            "responses": {
                **_ok("the dry run's report", report),
                **_ok("written; the report", report, "201"),
                "422": {
                    "description": "rows with errors (by row and field); nothing written",
                    "content": {"application/json": {"schema": report}},
                },
                **_errors("400", "401", "403"),
            },
        }
    }


def _anomaly_paths() -> dict[str, dict]:
    """GET /anomalies and its exports: same filters, every role (officers: own city)."""
    filters = [
        _param("municipality", "query", S, "municipality slug"),
        _param("rule", "query", S, "rule code(s), comma-separated or repeated"),
        _param("severity", "query", S, "info, warning, critical (comma-separated)"),
        _param("status", "query", S, "open, confirmed, resolved, dismissed (comma-separated)"),
        _param("seen_from", "query", D, "flags last seen on or after this day"),
        _param("seen_to", "query", D, "flags first seen on or before this day"),
        _param("lessee", "query", S, "lessee name (part) or ИНН (start)"),
    ]
    flag = {
        "type": "object",
        "properties": {
            "id": I,
            "rule": S,
            "severity": _enum("info", "warning", "critical"),
            "status": _enum("open", "confirmed", "resolved", "dismissed"),
            "municipality": S,
            "object": S,
            "parcel_id": {**I, "nullable": True},
            "contract_id": {**I, "nullable": True},
            "message": S,
            "evidence": {"type": "object"},
            "reason": NULL_S,
            "first_seen": S,
            "last_seen": S,
        },
    }
    paths = {
        "/api/v1/anomalies": {
            "get": {
                "summary": "List anomaly flags",
                "tags": ["anomalies"],
                "parameters": filters
                + [
                    _param(
                        "limit",
                        "query",
                        {**I, "minimum": 1, "maximum": 500, "default": 50},
                        "page size",
                    ),
                    _param("offset", "query", {**I, "minimum": 0, "default": 0}, "skip so many"),
                ],
                "responses": {
                    **_ok(
                        "a page and the total",
                        {
                            "type": "object",
                            "properties": {
                                "items": {"type": "array", "items": flag},
                                "total": I,
                                "limit": I,
                                "offset": I,
                            },
                        },
                    ),
                    **_errors("400", "401", "403", "404"),
                },
            }
        }
    }
    for suffix, mimetype in (
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("geojson", "application/geo+json"),
    ):
        paths[f"/api/v1/anomalies/export.{suffix}"] = {
            "get": {
                "summary": f"The filtered flags as {suffix.upper()} (every flag, streamed)",
                "tags": ["anomalies"],
                "parameters": filters,
                "responses": {
                    "200": {
                        "description": "a download",
                        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
                    },
                    **_errors("400", "401", "403", "404"),
                },
            }
        }
    return paths


def document() -> dict[str, Any]:
    """The whole OpenAPI 3.0 document."""
    paths: dict[str, Any] = {
        "/api/v1/auth/token": {
            "post": {
                "summary": "Get a bearer token",
                "tags": ["auth"],
                "security": [],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["username", "password"],
                        "properties": {"username": S, "password": S},
                    }
                ),
                "responses": {
                    **_ok(
                        "a token, shown once",
                        {"type": "object", "properties": {"token": S, "expires_at": S}},
                        "201",
                    ),
                    **_errors("400", "401"),
                    "429": _error("too many failed attempts: locked out"),
                },
            },
            "delete": {
                "summary": "Revoke the token of this request",
                "tags": ["auth"],
                "responses": {"204": {"description": "revoked"}, **_errors("400", "401")},
            },
        },
        "/api/v1/auth/me": {
            "get": {
                "summary": "Who the caller is",
                "tags": ["auth"],
                "responses": {
                    **_ok(
                        "the caller",
                        {
                            "type": "object",
                            "properties": {"user_id": I, "role": S, "municipality_id": I},
                        },
                    ),
                    **_errors("401"),
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "summary": "This document",
                "tags": ["meta"],
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3"}},
            }
        },
        "/api/v1/contracts/{record_id}/amend": _successor("amendment"),
        "/api/v1/contracts/{record_id}/renew": _successor("renewal"),
        "/api/v1/imports": _imports(),
    }
    for kind in FIELDS:
        paths.update(_kind_paths(kind))
    paths.update(_anomaly_paths())
    paths.update(report_paths())
    paths.update(campaign_paths())
    paths.update(document_paths())
    paths.update(result_path(ERRORS))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Municipal property inventory API",
            "version": __version__,
            "description": "Parcels, buildings, lessees, contracts, payments and "
            "inspections of Osh, Jalal-Abad and Nookat. Writes need an officer of the "
            "record's municipality or an admin; auditors read only. Session-cookie "
            "writes need the X-CSRFToken header.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": _schemas(),
        },
    }
