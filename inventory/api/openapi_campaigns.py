"""The OpenAPI description of the review campaign and document routes
(inventory.api.campaigns, inventory.api.documents)."""

from __future__ import annotations

from typing import Any

from inventory.models import DocumentKind, OwnerKind, ReviewOutcome

_I = {"type": "integer"}
_N = {"type": "number"}
_S = {"type": "string"}
_B = {"type": "boolean"}
_D = {"type": "string", "format": "date"}
_NULL_S = {"type": "string", "nullable": True}
_NULL_I = {"type": "integer", "nullable": True}
_NULL_N = {"type": "number", "nullable": True}
_OBJ = {"type": "object"}

OUTCOME = {"type": "string", "enum": [o.value for o in ReviewOutcome]}
RESULTS = {
    "type": "object",
    "properties": {
        name: _I
        for name in ("contracts", "reviewed", "kept", "amended", "terminated", "court", "pending")
    }
    | {
        name: _N
        for name in (
            "reviewed_share",
            "changed_share",
            "rent_before",
            "rent_after",
            "arrears_before",
            "arrears_recovered",
        )
    },
}
CAMPAIGN = {
    "type": "object",
    "properties": {
        "id": _I,
        "municipality": {**_S, "description": "municipality slug"},
        "title": _S,
        "opened_on": _D,
        "deadline": _D,
        "status": {"type": "string", "enum": ["open", "closed"]},
        "closed_on": {**_D, "nullable": True},
        "selection": {**_OBJ, "description": "the filters that chose the contracts"},
        "results": RESULTS,
        "officers": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "officer_id": _NULL_I,
                    "username": _NULL_S,
                    "full_name": _NULL_S,
                    "assigned": _I,
                    "reviewed": _I,
                    "pending": _I,
                },
            },
        },
    },
}
REVIEW = {
    "type": "object",
    "properties": {
        "id": _I,
        "campaign_id": _I,
        "contract_id": _I,
        "contract_number": _S,
        "lessee": _OBJ,
        "officer_id": _NULL_I,
        "officer": _NULL_S,
        "outcome": OUTCOME,
        "decided_on": _NULL_S,
        "note": _NULL_S,
        "successor_id": {**_NULL_I, "description": "the amendment contract"},
        "termination_reason": _NULL_S,
        "rent_before": _N,
        "rent_after": _NULL_N,
        "arrears_before": _N,
        "version": _I,
    },
}
PREFILLED = {
    "type": "object",
    "properties": {
        **REVIEW["properties"],
        "contract": _OBJ,
        "documents": {"type": "array", "items": _OBJ},
        "rent": {**_OBJ, "description": "annual rent and the normative rent"},
        "use": {**_OBJ, "description": "contracted use against the use last inspected"},
        "arrears": _OBJ,
        "flags": {"type": "array", "items": _OBJ},
    },
}
DOCUMENT = {
    "type": "object",
    "properties": {
        "id": _I,
        "municipality_id": _I,
        "owner_kind": {"type": "string", "enum": [k.value for k in OwnerKind]},
        "owner_id": _I,
        "kind": {"type": "string", "enum": [k.value for k in DocumentKind]},
        "title": _S,
        "original_name": _NULL_S,
        "content_type": _S,
        "size_bytes": _I,
        "sha256": _S,
        "public": {
            **_B,
            "description": "only council decisions and auction protocols, never about a "
            "natural person",
        },
        "version": _I,
        "created_at": _S,
        "archived_at": _NULL_S,
    },
}


def _error(description: str) -> dict:
    body = {"type": "object", "properties": {"error": _S, "message": _S, "field": _S}}
    return {"description": description, "content": {"application/json": {"schema": body}}}


ERRORS = {
    "400": _error("invalid input (the field is named)"),
    "401": _error("no or bad credentials"),
    "403": _error("not allowed: another municipality, an auditor, or not an administrator"),
    "404": _error("no such campaign, review, document or municipality"),
    "409": _error("stale version, already decided, or the campaign is closed"),
}


def _op(summary: str, tag: str, schema: dict | None, *codes: str, **extra) -> dict[str, Any]:
    ok = {"description": summary}
    if schema is not None:
        ok["content"] = {"application/json": {"schema": schema}}
    return {
        "summary": summary,
        "tags": [tag],
        "responses": {extra.pop("status", "200"): ok, **{c: ERRORS[c] for c in codes}},
        **extra,
    }


def _path(*names: str) -> list[dict]:
    return [{"name": n, "in": "path", "required": True, "schema": _I} for n in names]


def _query(*names: str) -> list[dict]:
    return [{"name": n, "in": "query", "schema": _S} for n in names]


def _page(item: dict) -> dict:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": item},
            "total": _I,
            "limit": _I,
            "offset": _I,
        },
    }


def _json_body(properties: dict, required: list[str]) -> dict:
    schema = {"type": "object", "required": required, "properties": properties}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def campaign_paths() -> dict[str, dict]:
    opening = _json_body(
        {
            "municipality": _S,
            "title": _S,
            "opened_on": _D,
            "deadline": _D,
            "scope": {"type": "string", "enum": ["active", "flagged"]},
            "rule": {**_S, "description": "only contracts with an open flag of this rule"},
            "zone": {**_I, "description": "only contracts with a parcel in this economic zone"},
            "officers": {"type": "array", "items": _I, "description": "assigned evenly"},
        },
        ["title", "deadline"],
    )
    assign = _json_body(
        {
            "officers": {"type": "array", "items": _I},
            "only_unassigned": _B,
            "reviews": {"type": "array", "items": _I},
            "officer": _I,
        },
        [],
    )
    decision = _json_body(
        {
            "version": _I,
            "outcome": {"type": "string", "enum": ["kept", "amended", "terminated", "court"]},
            "note": _S,
            "decided_on": _D,
            "number": {**_S, "description": "amendment number (default: old number /и1)"},
            "start_date": {**_D, "description": "when the amendment takes effect"},
            "end_date": _D,
            "rent_amount": _N,
            "rent_period": {"type": "string", "enum": ["year", "month"]},
            "contracted_use": _S,
            "terminated_on": _D,
            "reason": {**_S, "description": "why it is terminated (required then)"},
        },
        ["version", "outcome"],
    )
    one = _path("campaign_id")
    return {
        "/api/v1/campaigns": {
            "get": _op(
                "Review campaigns, newest first, with their results",
                "campaigns",
                _page(CAMPAIGN),
                "400",
                "401",
                "403",
                "404",
                parameters=_query("municipality", "status", "limit", "offset"),
            ),
            "post": _op(
                "Open a campaign (administrators)",
                "campaigns",
                CAMPAIGN,
                "400",
                "401",
                "403",
                status="201",
                requestBody=opening,
            ),
        },
        "/api/v1/campaigns/{campaign_id}": {
            "get": _op(
                "A campaign with its progress by officer",
                "campaigns",
                CAMPAIGN,
                "401",
                "403",
                "404",
                parameters=one,
            )
        },
        "/api/v1/campaigns/{campaign_id}/assign": {
            "post": _op(
                "Assign contracts to officers, evenly or by hand (administrators)",
                "campaigns",
                {"type": "object", "properties": {"assigned": _OBJ}},
                "400",
                "401",
                "403",
                "404",
                "409",
                parameters=one,
                requestBody=assign,
            )
        },
        "/api/v1/campaigns/{campaign_id}/close": {
            "post": _op(
                "Close a campaign whose every contract is reviewed (administrators)",
                "campaigns",
                CAMPAIGN,
                "401",
                "403",
                "404",
                "409",
                parameters=one,
            )
        },
        "/api/v1/campaigns/{campaign_id}/reviews": {
            "get": _op(
                "The campaign's reviews; status filters by outcome",
                "campaigns",
                _page(REVIEW),
                "400",
                "401",
                "403",
                "404",
                parameters=one + _query("status", "officer_id", "limit", "offset"),
            )
        },
        "/api/v1/campaigns/{campaign_id}/reviews/{review_id}": {
            "get": _op(
                "One review, prefilled with what the officer weighs",
                "campaigns",
                PREFILLED,
                "401",
                "403",
                "404",
                parameters=_path("campaign_id", "review_id"),
            )
        },
        "/api/v1/campaigns/{campaign_id}/reviews/{review_id}/decide": {
            "post": _op(
                "Decide a review: keep, amend, terminate or send to court",
                "campaigns",
                PREFILLED,
                "400",
                "401",
                "403",
                "404",
                "409",
                parameters=_path("campaign_id", "review_id"),
                requestBody=decision,
            )
        },
    }


def document_paths() -> dict[str, dict]:
    upload = {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "owner_kind", "owner_id", "kind"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, JPEG, PNG or WebP, at most 20 MB",
                        },
                        "owner_kind": DOCUMENT["properties"]["owner_kind"],
                        "owner_id": _I,
                        "kind": DOCUMENT["properties"]["kind"],
                        "title": _S,
                        "public": _B,
                    },
                }
            }
        },
    }
    one = _path("document_id")
    return {
        "/api/v1/documents": {
            "get": _op(
                "Documents the caller may read, newest first",
                "documents",
                _page(DOCUMENT),
                "400",
                "401",
                "403",
                "404",
                parameters=_query(
                    "municipality",
                    "owner_kind",
                    "owner_id",
                    "kind",
                    "public",
                    "q",
                    "limit",
                    "offset",
                ),
            ),
            "post": _op(
                "Attach a document to a record",
                "documents",
                DOCUMENT,
                "400",
                "401",
                "403",
                status="201",
                requestBody=upload,
            ),
        },
        "/api/v1/documents/{document_id}": {
            "get": _op("One document", "documents", DOCUMENT, "401", "403", "404", parameters=one),
            "patch": _op(
                "Change a document's title or public flag",
                "documents",
                DOCUMENT,
                "400",
                "401",
                "403",
                "404",
                "409",
                parameters=one,
                requestBody=_json_body({"version": _I, "title": _S, "public": _B}, ["version"]),
            ),
            "delete": _op(
                "Archive a document (its file is kept)",
                "documents",
                DOCUMENT,
                "401",
                "403",
                "404",
                parameters=one,
            ),
        },
        "/api/v1/documents/{document_id}/file": {
            "get": _op(
                "The document's file", "documents", None, "401", "403", "404", parameters=one
            )
        },
    }
