"""The OpenAPI 3.0 description of `/ogc` (the OAS30 conformance class)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inventory.services.ogc import crs as crs_module
from inventory.services.ogc.cql import LANGUAGES
from inventory.services.ogc.documents import TILED
from inventory.services.ogc.params import DEFAULT_LIMIT, MAX_LIMIT
from inventory.services.ogc.tilesets import TMS_ID
from inventory.services.privacy import N_
from inventory.services.public.layers import LAYERS, Layer
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


#: Translates a summary (a message id) for the API's page; the JSON keeps them English.
Say = Callable[[str], str]


def _plain(message: str) -> str:
    return message


def _tile_paths(name: str, shown: str, say: Say) -> dict[str, Any]:
    url = f"/collections/{name}/tiles"
    tile_params = [
        _path("tileMatrix"),
        _path("tileRow"),
        _path("tileCol"),
    ]
    return {
        url: {
            "get": {
                "summary": say(N_("Tilesets of %(name)s")) % {"name": shown},
                "responses": _ok("application/json"),
            }
        },
        f"{url}/{TMS_ID}": {
            "get": {
                "summary": say(N_("Tileset of %(name)s")) % {"name": shown},
                "responses": _ok("application/json"),
            }
        },
        f"{url}/{TMS_ID}/tilejson.json": {
            "get": {
                "summary": say(N_("TileJSON of %(name)s")) % {"name": shown},
                "responses": _ok("application/json"),
            }
        },
        f"{url}/{TMS_ID}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}": {
            "get": {
                "summary": say(N_("A vector tile of %(name)s")) % {"name": shown},
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


def openapi(base: str, say: Say = _plain) -> dict[str, Any]:
    """Every path of the API with its parameters; each collection's filters listed. The
    summaries and the title go through `say` (gettext for the API's page: the
    collections then named by their titles; as they are, in English, for the JSON)."""

    def shown(layer: Layer) -> str:
        return layer.name if say is _plain else say(layer.title)

    paths: dict[str, Any] = {
        "/": {
            "get": {
                "summary": say(N_("Landing page")),
                "parameters": [_F],
                "responses": _ok("application/json"),
            }
        },
        "/conformance": {
            "get": {
                "summary": say(N_("Conformance classes")),
                "parameters": [_F],
                "responses": _ok("application/json"),
            }
        },
        "/api": {
            "get": {
                "summary": say(N_("This API description (OpenAPI 3.0; f=html for a page)")),
                "parameters": [_F],
                "responses": _ok("application/vnd.oai.openapi+json;version=3.0"),
            }
        },
        "/tileMatrixSets": {
            "get": {"summary": say(N_("Tile matrix sets")), "responses": _ok("application/json")}
        },
        f"/tileMatrixSets/{TMS_ID}": {
            "get": {"summary": say(N_("The tile matrix set")), "responses": _ok("application/json")}
        },
        "/collections": {
            "get": {
                "summary": say(N_("Collections")),
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
                "summary": say(N_("Collection %(name)s")) % {"name": shown(layer)},
                "parameters": [_F],
                "responses": _ok("application/json"),
            }
        }
        paths[f"/collections/{name}/items"] = {
            "get": {
                "summary": say(N_("Features of %(name)s")) % {"name": shown(layer)},
                "parameters": params,
                "responses": _ok("application/geo+json"),
            }
        }
        for document, summary in (
            ("queryables", N_("The queryables of %(name)s (JSON Schema)")),
            ("schema", N_("The schema of %(name)s (JSON Schema)")),
        ):
            paths[f"/collections/{name}/{document}"] = {
                "get": {
                    "summary": say(summary) % {"name": shown(layer)},
                    "parameters": [_F],
                    "responses": _ok("application/schema+json"),
                }
            }
        if name in TILED:
            paths.update(_tile_paths(name, shown(layer), say))
        paths[f"/collections/{name}/items/{{featureId}}"] = {
            "get": {
                "summary": say(N_("One feature of %(name)s")) % {"name": shown(layer)},
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
            "title": say(N_("Municipal property inventory: OGC API - Features")),
            "version": __version__,
        },
        "servers": [{"url": base}],
        "paths": paths,
    }
