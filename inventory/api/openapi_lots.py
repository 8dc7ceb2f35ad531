"""The OpenAPI description of what auction lots add to the usual routes of a kind
(inventory.api.lots): the lot's object, norm and result, and POST .../result."""

from __future__ import annotations

from typing import Any

_I = {"type": "integer"}
_N = {"type": "number"}
_S = {"type": "string"}
_D = {"type": "string", "format": "date"}
_NULL_S = {**_S, "nullable": True}
_NULL_N = {**_N, "nullable": True}
_NULL_I = {**_I, "nullable": True}

RESULT = {
    "type": "object",
    "nullable": True,
    "properties": {
        "no_bids": {"type": "boolean"},
        "winner_id": _NULL_I,
        "winner": _NULL_S,
        "final_rent": _NULL_N,
        "bidders": _NULL_I,
        "protocol_number": _NULL_S,
        "protocol_date": _NULL_S,
        "protocol_url": _NULL_S,
        "contract_id": {**_NULL_I, "description": "the lease contract made from the lot"},
        "recorded_at": _S,
    },
}

#: What a lot's JSON carries besides its fields.
LOT_EXTRA = {
    "object": {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["parcel", "building"]},
            "id": _I,
            "code": _S,
            "address": _NULL_S,
        },
    },
    "norm": {**_NULL_N, "description": "the parcel's normative annual rent today, som"},
    "result": RESULT,
}


def result_path(errors: dict[str, Any]) -> dict[str, Any]:
    """POST /lots/{record_id}/result; `errors` are the document's error responses."""
    body = {
        "type": "object",
        "required": ["version"],
        "properties": {
            "version": {**_I, "description": "the lot's version you loaded"},
            "no_bids": {"type": "boolean", "description": "true: nobody bid; the rest is optional"},
            "winner_id": {**_I, "description": "the winning lessee (required unless no_bids)"},
            "final_rent": {**_N, "description": "annual rent, som; not below the starting rent"},
            "bidders": _I,
            "protocol_number": {**_S, "description": "required unless no_bids"},
            "protocol_date": {**_D, "description": "default: the auction date"},
            "protocol_url": {**_S, "description": "where the protocol is published"},
            "contract_number": {**_S, "description": "the new contract's number"},
            "start_date": {**_D, "description": "the contract's start; default: protocol date"},
            "signed_on": _D,
        },
    }
    return {
        "/api/v1/lots/{record_id}/result": {
            "post": {
                "summary": "Record the auction's result: the winner's contract (basis "
                "'auction') is made from the lot, or no bids",
                "tags": ["lots"],
                "parameters": [{"name": "record_id", "in": "path", "required": True, "schema": _I}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": body}},
                },
                "responses": {
                    "201": {
                        "description": "the lot with its result",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/lots"}}
                        },
                    },
                    **{code: errors[code] for code in ("400", "401", "403", "404", "409")},
                },
            }
        }
    }
