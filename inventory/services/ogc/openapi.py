"""The OpenAPI 3.0 description of `/ogc` (the OAS30 conformance class)."""

from __future__ import annotations

from typing import Any

from inventory.services.ogc.params import DEFAULT_LIMIT, MAX_LIMIT
from inventory.services.public.layers import LAYERS
from inventory.version import __version__

_F = {
    "name": "f",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["json", "html"]},
}


def _ok(media: str) -> dict[str, Any]:
    return {
        "200": {"description": "OK", "content": {media: {}}},
        "400": {"description": "Bad request"},
        "404": {"description": "Not found"},
    }


def openapi(base: str) -> dict[str, Any]:
    """Every path of the API with its parameters; each collection's filters listed."""
    paths: dict[str, Any] = {
        "/": {
            "get": {
                "summary": "Landing page",
                "parameters": [_F],
                "responses": _ok("application/json"),
            }
        },
        "/conformance": {
            "get": {
                "summary": "Conformance classes",
                "parameters": [_F],
                "responses": _ok("application/json"),
            }
        },
        "/collections": {
            "get": {
                "summary": "Collections",
                "parameters": [_F],
                "responses": _ok("application/json"),
            }
        },
    }
    for layer in LAYERS.values():
        name = layer.name
        params = [
            _F,
            {
                "name": "limit",
                "in": "query",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT,
                },
            },
            {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            {
                "name": "bbox",
                "in": "query",
                "style": "form",
                "explode": False,
                "schema": {
                    "type": "array",
                    "minItems": 4,
                    "maxItems": 6,
                    "items": {"type": "number"},
                },
            },
            *(
                {"name": filter_name, "in": "query", "schema": {"type": "string"}}
                for filter_name in layer.filters
            ),
        ]
        if layer.temporal:
            params.append({"name": "datetime", "in": "query", "schema": {"type": "string"}})
        paths[f"/collections/{name}"] = {
            "get": {
                "summary": f"Collection {name}",
                "parameters": [_F],
                "responses": _ok("application/json"),
            }
        }
        paths[f"/collections/{name}/items"] = {
            "get": {
                "summary": f"Features of {name}",
                "parameters": params,
                "responses": _ok("application/geo+json"),
            }
        }
        paths[f"/collections/{name}/items/{{featureId}}"] = {
            "get": {
                "summary": f"One feature of {name}",
                "parameters": [
                    _F,
                    {
                        "name": "featureId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                ],
                "responses": _ok("application/geo+json"),
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Municipal property inventory: OGC API - Features",
            "version": __version__,
        },
        "servers": [{"url": base}],
        "paths": paths,
    }
