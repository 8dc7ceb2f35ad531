"""The OpenAPI description of the citizen report routes (inventory.api.reports)."""

from __future__ import annotations

from typing import Any

REPORT_STATUS = {"type": "string", "enum": ["pending", "published", "rejected"]}
_I = {"type": "integer"}
_S = {"type": "string"}
_NULL_S = {"type": "string", "nullable": True}
_NULL_I = {"type": "integer", "nullable": True}

#: A report as staff see it; `contact` is personal data, never in a public output.
REPORT = {
    "type": "object",
    "properties": {
        "id": _I,
        "municipality": {**_S, "description": "municipality slug"},
        "parcel_id": _NULL_I,
        "ident_code": {**_NULL_S, "description": "the parcel's code, when about a parcel"},
        "location": {
            "type": "object",
            "nullable": True,
            "description": "GeoJSON Point in EPSG:4326 (lon, lat), when about a point",
        },
        "text": _S,
        "contact": {**_NULL_S, "description": "the resident's contact: for staff only"},
        "has_photo": {"type": "boolean"},
        "status": REPORT_STATUS,
        "created_at": _S,
        "moderated_at": _NULL_S,
        "moderated_by": {**_NULL_S, "description": "username of the moderator"},
        "reason": {**_NULL_S, "description": "why it was rejected, as the resident is shown"},
    },
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"error": _S, "message": _S, "field": _S},
                }
            }
        },
    }


ERRORS = {
    "400": _error("invalid input (the field is named)"),
    "401": _error("no or bad credentials"),
    "403": _error("not allowed: another municipality's report, or an auditor moderating"),
    "404": _error("no such report or municipality"),
}
_ID = {"name": "report_id", "in": "path", "required": True, "schema": _I}


def _one(summary: str, *codes: str, body: dict | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "tags": ["reports"],
        "parameters": [_ID],
        "responses": {
            "200": {
                "description": "the report",
                "content": {"application/json": {"schema": REPORT}},
            },
            **{code: ERRORS[code] for code in codes},
        },
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    return operation


def report_paths() -> dict[str, dict]:
    """GET /reports, GET /reports/{id}, POST its publish and reject."""
    page = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": REPORT},
            "total": _I,
            "limit": _I,
            "offset": _I,
        },
    }
    reason = {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": {**_S, "description": "shown to the resident; required"}},
    }
    return {
        "/api/v1/reports": {
            "get": {
                "summary": "Citizen reports the caller may read, newest first",
                "tags": ["reports"],
                "parameters": [
                    {"name": "status", "in": "query", "schema": REPORT_STATUS},
                    {
                        "name": "municipality",
                        "in": "query",
                        "schema": _S,
                        "description": "municipality slug",
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {**_I, "minimum": 1, "maximum": 500, "default": 50},
                    },
                    {"name": "offset", "in": "query", "schema": {**_I, "minimum": 0}},
                ],
                "responses": {
                    "200": {
                        "description": "a page and the total",
                        "content": {"application/json": {"schema": page}},
                    },
                    **{code: ERRORS[code] for code in ("400", "401", "403", "404")},
                },
            }
        },
        "/api/v1/reports/{report_id}": {
            "get": _one("One citizen report, with the resident's contact", "401", "403", "404")
        },
        "/api/v1/reports/{report_id}/publish": {
            "post": _one(
                "Publish a report on the parcel's card (never its contact)",
                "401",
                "403",
                "404",
            )
        },
        "/api/v1/reports/{report_id}/reject": {
            "post": _one(
                "Reject a report with the reason the resident is shown",
                "400",
                "401",
                "403",
                "404",
                body=reason,
            )
        },
    }
