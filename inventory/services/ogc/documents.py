"""The JSON documents of the OGC API: landing page, conformance, collections, items.

Links are absolute, built from the `base` URL the web layer passes in (e.g.
`http://host/ogc`). Titles are message ids: the caller passes `translate` so the same
documents serve every language.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.ogc import crs as crs_module
from inventory.services.ogc import queryables as queryables_module
from inventory.services.ogc.features import FeaturePage
from inventory.services.ogc.params import ItemsQuery
from inventory.services.privacy import N_
from inventory.services.public.layers import LAYERS, Layer

#: The collections offered as vector tiles too (OGC API - Tiles).
TILED = ("parcels", "buildings")

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CRS84 = crs_module.CRS84
SCHEMA = queryables_module.SCHEMA_MEDIA

_COMMON = "http://www.opengis.net/spec/ogcapi-common-"
_FEATURES = "http://www.opengis.net/spec/ogcapi-features-"
_CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf/"
_TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"

#: Every class declared here is honoured, and tests/ogc requests each.
CONFORMANCE = [
    f"{_COMMON}1/1.0/conf/core",
    f"{_COMMON}1/1.0/conf/landing-page",
    f"{_COMMON}1/1.0/conf/json",
    f"{_COMMON}1/1.0/conf/html",
    f"{_COMMON}1/1.0/conf/oas30",
    f"{_COMMON}2/1.0/conf/collections",
    f"{_FEATURES}1/1.0/conf/core",
    f"{_FEATURES}1/1.0/conf/geojson",
    f"{_FEATURES}1/1.0/conf/html",
    f"{_FEATURES}1/1.0/conf/oas30",
    f"{_FEATURES}2/1.0/conf/crs",
    f"{_FEATURES}3/1.0/conf/queryables",
    f"{_FEATURES}3/1.0/conf/queryables-query-parameters",
    f"{_FEATURES}3/1.0/conf/filter",
    f"{_FEATURES}3/1.0/conf/features-filter",
    f"{_FEATURES}5/1.0/conf/schemas",
    f"{_FEATURES}5/1.0/conf/core-roles-features",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/sorting",
    f"{_CQL2}basic-cql2",
    f"{_CQL2}cql2-text",
    f"{_CQL2}cql2-json",
    f"{_CQL2}advanced-comparison-operators",
    f"{_CQL2}case-insensitive-comparison",
    f"{_CQL2}basic-spatial-functions",
    f"{_CQL2}basic-spatial-functions-plus",
    f"{_CQL2}spatial-functions",
    f"{_TILES}core",
    f"{_TILES}tileset",
    f"{_TILES}tilesets-list",
    f"{_TILES}geodata-tilesets",
    f"{_TILES}mvt",
    f"{_TILES}oas30",
]

#: Link relations of the OGC API.
REL_QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
REL_SCHEMA = "http://www.opengis.net/def/rel/ogc/1.0/schema"
REL_TILESETS = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
REL_TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"

Translate = Callable[[str], str]

TITLE = N_("Municipal property: open data")
DESCRIPTION = N_(
    "Land parcels, buildings, economic-planning zones and lease contracts "
    "of Osh, Jalal-Abad and Nookat. Private individuals are never named."
)


def _link(href: str, rel: str, media: str, title: str | None = None) -> dict[str, str]:
    link = {"href": href, "rel": rel, "type": media}
    if title:
        link["title"] = title
    return link


def _self_and_alternate(url: str, json_media: str = JSON) -> list[dict[str, str]]:
    join = "&" if "?" in url else "?"
    return [
        _link(f"{url}{join}f=json", "self", json_media),
        _link(f"{url}{join}f=html", "alternate", HTML),
    ]


def landing(base: str, translate: Translate) -> dict[str, Any]:
    return {
        "title": translate(TITLE),
        "description": translate(DESCRIPTION),
        "links": [
            *_self_and_alternate(base),
            _link(f"{base}/api", "service-desc", OPENAPI, "OpenAPI 3.0"),
            _link(f"{base}/conformance", "conformance", JSON),
            _link(f"{base}/api?f=html", "service-doc", HTML, "OpenAPI 3.0"),
            _link(f"{base}/collections", "data", JSON),
            _link(f"{base}/tileMatrixSets", REL_TILING_SCHEMES, JSON),
        ],
    }


def conformance() -> dict[str, Any]:
    return {"conformsTo": CONFORMANCE}


def municipal_extent(session: so.Session) -> list[float] | None:
    """The box around every municipality's boundary: a cheap, true bound of all layers."""
    row = session.execute(
        sa.text(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
            "FROM (SELECT ST_Extent(boundary) AS e FROM municipality) AS x"
        )
    ).one()
    return None if row[0] is None else [round(float(v), 6) for v in row]


def _temporal_extent(session: so.Session, layer: Layer) -> list[str | None] | None:
    if layer.temporal is None:
        return None
    start, end = layer.temporal
    row = session.execute(
        sa.text(
            f"SELECT min(f.{start}), max(f.{end}), bool_or(f.{end} IS NULL) FROM ({layer.sql}) AS f"
        )
    ).one()
    if row[0] is None:
        return None
    return [f"{row[0]}T00:00:00Z", None if row[2] else f"{row[1]}T23:59:59Z"]


def collection(
    session: so.Session,
    layer: Layer,
    base: str,
    translate: Translate,
    bbox: list[float] | None = None,
) -> dict[str, Any]:
    url = f"{base}/collections/{layer.name}"
    extent: dict[str, Any] = {}
    if bbox:
        extent["spatial"] = {"bbox": [bbox], "crs": CRS84}
    interval = _temporal_extent(session, layer)
    if interval:
        extent["temporal"] = {
            "interval": [interval],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return {
        "id": layer.name,
        "title": translate(layer.title),
        "description": translate(layer.description),
        "itemType": "feature",
        "crs": crs_module.URIS,
        "storageCrs": CRS84,
        "extent": extent,
        "links": [
            *_self_and_alternate(url),
            # No `?f=json` here: GDAL appends `/<id>` to this link to fetch one feature.
            _link(f"{url}/items", "items", GEOJSON),
            _link(f"{url}/items?f=html", "items", HTML),
            _link(f"{url}/queryables", REL_QUERYABLES, SCHEMA),
            _link(f"{url}/schema", REL_SCHEMA, SCHEMA),
            _link(f"{url}/schema", "describedby", SCHEMA),
            *([_link(f"{url}/tiles", REL_TILESETS, JSON)] if layer.name in TILED else []),
        ],
    }


def collections(session: so.Session, base: str, translate: Translate) -> dict[str, Any]:
    bbox = municipal_extent(session)
    return {
        "links": _self_and_alternate(f"{base}/collections"),
        "collections": [
            collection(session, layer, base, translate, bbox) for layer in LAYERS.values()
        ],
    }


def items_links(
    base: str, layer: Layer, query: ItemsQuery, page: FeaturePage, args: Mapping[str, str]
) -> list[dict[str, str]]:
    """self/alternate/collection and, where there are, next and prev pages; every other
    parameter the client gave is kept."""
    url = f"{base}/collections/{layer.name}/items"
    kept = {k: v for k, v in args.items() if k not in ("f", "offset")}

    def page_url(offset: int, f: str) -> str:
        params = {**kept, "f": f}
        if offset:
            params["offset"] = str(offset)
        return f"{url}?{urlencode(params)}"

    links = [
        _link(page_url(query.offset, "json"), "self", GEOJSON),
        _link(page_url(query.offset, "html"), "alternate", HTML),
        _link(f"{base}/collections/{layer.name}?f=json", "collection", JSON),
    ]
    if page.has_more:
        links.append(_link(page_url(query.offset + query.limit, "json"), "next", GEOJSON))
    if query.offset > 0:
        links.append(_link(page_url(max(query.offset - query.limit, 0), "json"), "prev", GEOJSON))
    return links


def feature_collection_bytes(
    page: FeaturePage, links: list[dict[str, str]], timestamp: str
) -> bytes:
    """The FeatureCollection as UTF-8 bytes, the features array spliced in as PostGIS
    wrote it."""
    head = json.dumps(
        {
            "type": "FeatureCollection",
            "timeStamp": timestamp,
            "numberMatched": page.matched,
            "numberReturned": page.returned,
            "links": links,
        },
        ensure_ascii=False,
    )
    return b"".join((head[:-1].encode(), b', "features": ', page.features, b"}"))


def feature_text(feature: str, base: str, layer: Layer, feature_id: str) -> str:
    """One Feature's text with its links added."""
    url = f"{base}/collections/{layer.name}/items/{feature_id}"
    links = [
        _link(f"{url}?f=json", "self", GEOJSON),
        _link(f"{url}?f=html", "alternate", HTML),
        _link(f"{base}/collections/{layer.name}?f=json", "collection", JSON),
    ]
    return f'{feature[:-1]}, "links": {json.dumps(links)}}}'
