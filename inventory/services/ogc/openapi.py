"""The OpenAPI 3.0 description of `/ogc` (the OAS30 conformance class)."""

from __future__ import annotations

from typing import Any

from inventory.services.ogc import crs as crs_module
from inventory.services.ogc.cql import LANGUAGES
from inventory.services.ogc.documents import TILED
from inventory.services.ogc.params import DEFAULT_LIMIT, MAX_LIMIT
from inventory.services.ogc.tilesets import TMS_ID
from inventory.services.public.layers import LAYERS
from inventory.version import __version__

_F = {
    "name": "f",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["json", "html"]},
}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        parameter["description"] = description
    return parameter


_CRS = {"type": "string", "format": "uri", "enum": crs_module.URIS}
_TEXT = {"type": "string"}
_COMMON_ITEMS = [
    _query("datetime", _TEXT, "An instant or interval (RFC 3339); time-less collections match all"),
    _query("bbox-crs", _CRS),
    _query("crs", _CRS, "CRS of the returned geometry (Features Part 2)"),
    _query("filter", _TEXT, "A CQL2 expression over the queryables"),
    _query("filter-lang", {"type": "string", "enum": list(LANGUAGES), "default": LANGUAGES[0]}),
    _query("filter-crs", _CRS),
    _query("sortby", _TEXT, "Properties to sort by, comma-separated; - before a name: descending"),
    _query("properties", _TEXT, "Properties to return, comma-separated"),
]
_TYPES = {"int": "integer", "float": "number", "str": "string", "date": "string"}


def _path(name: str, in_: str = "path") -> dict[str, Any]:
    return {"name": name, "in": in_, "required": True, "schema": {"type": "string"}}


def _tile_paths(name: str) -> dict[str, Any]:
    url = f"/collections/{name}/tiles"
    tile_params = [
        _path("tileMatrix"),
        _path("tileRow"),
        _path("tileCol"),
    ]
    return {
        url: {"get": {"summary": f"Tilesets of {name}", "responses": _ok("application/json")}},
        f"{url}/{TMS_ID}": {
            "get": {"summary": f"Tileset of {name}", "responses": _ok("application/json")}
        },
        f"{url}/{TMS_ID}/tilejson.json": {
            "get": {"summary": f"TileJSON of {name}", "responses": _ok("application/json")}
        },
        f"{url}/{TMS_ID}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}": {
            "get": {
                "summary": f"A vector tile of {name}",
                "parameters": tile_params,
                "responses": {
                    **_ok("application/vnd.mapbox-vector-tile"),
                    "204": {"description": "No feature in the tile"},
                },
            }
        },
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
        "/api": {
            "get": {
                "summary": "This API description (OpenAPI 3.0; f=html for a page)",
                "parameters": [_F],
                "responses": _ok("application/vnd.oai.openapi+json;version=3.0"),
            }
        },
        "/tileMatrixSets": {
            "get": {"summary": "Tile matrix sets", "responses": _ok("application/json")}
        },
        f"/tileMatrixSets/{TMS_ID}": {
            "get": {"summary": "The tile matrix set", "responses": _ok("application/json")}
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
            *_COMMON_ITEMS,
            *(
                _query(field.name, {"type": _TYPES[field.type]})
                for field in layer.fields
                if field.name != "id"
            ),
            *(
                _query(alias, _TEXT, f"The same as {column}")
                for alias, column in layer.filters.items()
                if alias != column
            ),
        ]
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
        for document in ("queryables", "schema"):
            paths[f"/collections/{name}/{document}"] = {
                "get": {
                    "summary": f"The {document} of {name} (JSON Schema)",
                    "parameters": [_F],
                    "responses": _ok("application/schema+json"),
                }
            }
        if name in TILED:
            paths.update(_tile_paths(name))
        paths[f"/collections/{name}/items/{{featureId}}"] = {
            "get": {
                "summary": f"One feature of {name}",
                "parameters": [
                    _F,
                    _query("crs", _CRS),
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
