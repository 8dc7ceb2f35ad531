"""What a collection's features hold, as JSON Schema: the queryables (Features Part 3)
and the schema of the returned features (Features Part 5).

Property names are the layer's field names, the same in the features, the filters,
`sortby`, `properties` and the downloads. The older filter parameter names
(`municipality`, `designated_use`, ...) stay accepted as aliases of them.
"""

from __future__ import annotations

from typing import Any

from inventory.services.errors import ValidationError
from inventory.services.ogc import crs as crs_module
from inventory.services.public.layers import Layer

SCHEMA_MEDIA = "application/schema+json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: The queryable and property name of the geometry; `geom` is accepted too.
GEOMETRY = "geometry"
_GEOMETRY_NAMES = (GEOMETRY, "geom")

_TYPES = {
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "str": {"type": "string"},
    "date": {"type": "string", "format": "date"},
}


def column(layer: Layer, name: str) -> tuple[str, str]:
    """The layer column a property name (or an old filter name) stands for, and its
    type (int, float, str, date or geometry). Raises ValidationError for an unknown name."""
    if name in _GEOMETRY_NAMES:
        return "geom", "geometry"
    field_name = layer.filters.get(name, name)
    for field in layer.fields:
        if field.name == field_name:
            return field.name, field.type
    raise ValidationError(
        "unknown property; properties here: %(properties)s",
        field=name,
        properties=", ".join(layer.field_names),
    )


def _property(field_type: str, title: str, description: str) -> dict[str, Any]:
    return {"title": title, "description": description, **_TYPES[field_type]}


def _geometry() -> dict[str, Any]:
    return {
        "title": "geometry",
        "format": "geometry-multipolygon",
        "x-ogc-role": "primary-geometry",
        "$ref": "https://geojson.org/schema/MultiPolygon.json",
    }


def queryables(layer: Layer, url: str, translate) -> dict[str, Any]:
    """The queryables of the layer: every field and the geometry, with their types."""
    properties: dict[str, Any] = {
        field.name: _property(field.type, field.name, translate(field.description))
        for field in layer.fields
    }
    properties[GEOMETRY] = _geometry()
    return {
        "$schema": DIALECT,
        "$id": url,
        "type": "object",
        "title": translate(layer.title),
        "properties": properties,
        "additionalProperties": False,
    }


def schema(layer: Layer, url: str, translate) -> dict[str, Any]:
    """The JSON Schema of the layer's features (Part 5): property types, the id and the
    primary geometry marked by their `x-ogc-role`, the properties in their order."""
    properties: dict[str, Any] = {}
    for sequence, field in enumerate(layer.fields, start=1):
        item = _property(field.type, field.name, translate(field.description))
        item["x-ogc-propertySeq"] = sequence
        if field.name == "id":
            item["x-ogc-role"] = "id"
        properties[field.name] = item
    properties[GEOMETRY] = {**_geometry(), "x-ogc-propertySeq": len(properties) + 1}
    return {
        "$schema": DIALECT,
        "$id": url,
        "type": "object",
        "title": translate(layer.title),
        "description": translate(layer.description),
        "properties": properties,
        "x-ogc-crs": crs_module.URIS,
    }
