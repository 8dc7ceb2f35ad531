"""What the /ogc pages show of a feature: each property under a label and its value as
the reader's language writes it (names for codes, grouped numbers, dates), the way the
office's record pages show the same fields. The JSON keeps the codes and plain numbers
that GIS clients and scripts read."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from inventory.services.public.layers import Field, Layer
from inventory.web import formatting

#: Labels of the published properties that are no record field (or are labelled
#: otherwise than the record's field).
OWN_LABELS = {
    "id": _l("Number"),
    "lessee": _l("Lessee"),
    "lessee_typ": _l("Kind of lessee"),
    "contract": _l("Contract"),
    "lease_end": _l("Leased until"),
    "parcel": _l("Parcel"),
    "code": _l("Zone code"),
    "name": _l("Name"),
    "kz": "Kz",
    "valid_from": _l("Valid from"),
    "valid_to": _l("Valid until"),
    "is_demo": _l("Demo value"),
    "objects": _l("Leased objects"),
}

#: Decimal properties written with as many digits as they have (a coefficient); every
#: other one is an area or a sum of som, written with two (1 137,00 beside 593,15).
_PLAIN_DECIMALS = {"kz"}


def label(field: Field) -> str:
    """The heading of a property in the page's language."""
    own = OWN_LABELS.get(field.name)
    if own is not None:
        return str(own)
    if field.record is not None:
        return formatting.field_label(field.record)
    return field.name


def value(layer: Layer, field: Field, raw: Any) -> Any:
    """A property's value as the page shows it ("" for none)."""
    if raw is None or raw == "":
        return ""
    if field.name == "is_demo":
        return gettext("yes") if raw else gettext("no")
    if field.type == "date":
        return formatting.day(raw)
    if field.type == "float":
        return formatting.number(raw, None if field.name in _PLAIN_DECIMALS else 2)
    if field.type == "int":
        return str(raw)  # a year or a count of floors is not grouped (1985, not 1 985)
    if field.record is not None:
        return formatting.shown(raw, field.record, layer.kind)
    return raw


def is_number(field: Field) -> bool:
    """Whether the property's column is aligned right (a number to compare)."""
    return field.type in ("float", "int") and field.name not in ("id", "is_demo")


_OGC_REL = "http://www.opengis.net/def/rel/ogc/1.0/"

#: What a link leads to, by its relation (OGC's long relation names by their last part).
LINK_LABELS = {
    "self": _l("This data"),
    "alternate": _l("The same data"),
    "data": _l("Collections"),
    "conformance": _l("Conformance classes"),
    "service-desc": _l("API description"),
    "service-doc": _l("API description, as a page"),
    "collection": _l("The collection"),
    "items": _l("Features"),
    "item": _l("A tile"),
    "next": _l("Next page"),
    "prev": _l("Previous page"),
    "describedby": _l("Schema"),
    "schema": _l("Schema"),
    "queryables": _l("Properties to filter by"),
    "tilesets-vector": _l("Vector tiles"),
    "tiling-scheme": _l("Tile matrix set"),
    "tiling-schemes": _l("Tile matrix sets"),
}
#: The same for links to a page (text/html).
PAGE_LINK_LABELS = {"self": _l("This page"), "alternate": _l("The same, as a page")}

#: Short names of the media types the links offer.
FORMATS = {
    "application/json": "JSON",
    "application/geo+json": "GeoJSON",
    "application/schema+json": "JSON Schema",
    "application/vnd.oai.openapi+json;version=3.0": "OpenAPI",
    "application/vnd.mapbox-vector-tile": "MVT",
}


def link_text(link: dict[str, Any]) -> str:
    """A link as a reader sees it: what it leads to in the page's language (else its own
    title), with the format of anything but a page ("Schema (JSON Schema)")."""
    rel = str(link.get("rel", "")).removeprefix(_OGC_REL)
    media = link.get("type") or ""
    page = media == "text/html"
    known = (PAGE_LINK_LABELS.get(rel) if page else None) or LINK_LABELS.get(rel)
    what = str(known or link.get("title") or rel)
    shown = "" if page else FORMATS.get(media, media)
    return f"{what} ({shown})" if shown else what


#: JSON Schema types as a reader calls them.
TYPE_NAMES = {
    "integer": _l("whole number"),
    "number": _l("number"),
    "string": _l("text"),
    "date": _l("date"),
    "date-time": _l("date and time"),
}


def type_name(item: dict[str, Any]) -> str:
    """The type of a property of a schema page: "date" for a string of format date, else
    its JSON Schema type, in words; a geometry's format as it is."""
    kind = item.get("format") or item.get("type") or ""
    return str(TYPE_NAMES.get(kind, kind))
