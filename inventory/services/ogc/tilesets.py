"""OGC API - Tiles documents for the vector tiles of parcels and buildings: the tile
matrix set WebMercatorQuad, each collection's tilesets and tileset, and TileJSON 3.0
for clients that read that (GDAL's MVT driver, MapLibre, QGIS).

The tiles themselves are made by inventory.services.public.tiles; the tileset's tile
URL template is `.../tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}`.
"""

from __future__ import annotations

from typing import Any

from inventory.services.public import tiles
from inventory.services.public.layers import Layer

TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
MERCATOR = "http://www.opengis.net/def/crs/EPSG/0/3857"
MVT = "application/vnd.mapbox-vector-tile"
JSON = "application/json"
REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"

#: The MVT layer name and fields of each tiled collection (what tiles.py writes).
TILE_LAYERS: dict[str, tuple[str, dict[str, str]]] = {
    "parcels": (
        tiles.LAYER,
        {
            "id": "Number",
            "status": "String",
            "use": "String",
            "municipality": "String",
            "lessee_kind": "String",
            "lessee": "String",
        },
    ),
    "buildings": (
        tiles.BUILDING_LAYER,
        {"id": "Number", "kind": "String", "floors": "Number", "parcel_id": "Number"},
    ),
}

_HALF = 20037508.3427892
_CELL0 = 2 * _HALF / 256
_SCALE0 = 559082264.0287178


def tile_matrix_set() -> dict[str, Any]:
    """WebMercatorQuad as OGC Two Dimensional Tile Matrix Set 2.0 JSON, zooms 0 to
    tiles.MAX_ZOOM, with the TMS 1.0 members beside (`type`, `identifier`,
    `supportedCRS`, `tileMatrix`): GDAL before 3.7 (Debian 12's 3.6, under QGIS 3.22)
    reads only those."""
    return {
        "type": "TileMatrixSetType",
        "identifier": TMS_ID,
        "supportedCRS": MERCATOR,
        "tileMatrix": [
            {
                "type": "TileMatrixType",
                "identifier": str(z),
                "scaleDenominator": _SCALE0 / 2**z,
                "topLeftCorner": [-_HALF, _HALF],
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": 2**z,
                "matrixHeight": 2**z,
            }
            for z in range(tiles.MAX_ZOOM + 1)
        ],
        "id": TMS_ID,
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": MERCATOR,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [
            {
                "id": str(z),
                "scaleDenominator": _SCALE0 / 2**z,
                "cellSize": _CELL0 / 2**z,
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-_HALF, _HALF],
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": 2**z,
                "matrixHeight": 2**z,
            }
            for z in range(tiles.MAX_ZOOM + 1)
        ],
    }


def tile_matrix_sets(base: str) -> dict[str, Any]:
    return {
        "tileMatrixSets": [
            {
                "id": TMS_ID,
                "title": "Google Maps Compatible for the World",
                "uri": TMS_URI,
                "links": [{"rel": "self", "type": JSON, "href": f"{base}/tileMatrixSets/{TMS_ID}"}],
            }
        ]
    }


def tile_template(base: str, layer: Layer) -> str:
    return f"{base}/collections/{layer.name}/tiles/{TMS_ID}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"


def _summary(base: str, layer: Layer, title: str) -> dict[str, Any]:
    url = f"{base}/collections/{layer.name}/tiles/{TMS_ID}"
    return {
        "title": title,
        "dataType": "vector",
        "crs": MERCATOR,
        "tileMatrixSetURI": TMS_URI,
        "links": [
            {"rel": "self", "type": JSON, "href": url},
            {"rel": REL_TILING_SCHEME, "type": JSON, "href": f"{base}/tileMatrixSets/{TMS_ID}"},
            {"rel": "item", "type": MVT, "templated": True, "href": tile_template(base, layer)},
            {"rel": "describedby", "type": JSON, "href": f"{url}/tilejson.json"},
        ],
    }


def tilesets(base: str, layer: Layer, title: str) -> dict[str, Any]:
    """The collection's tilesets: one, in WebMercatorQuad."""
    url = f"{base}/collections/{layer.name}/tiles"
    return {
        "links": [{"rel": "self", "type": JSON, "href": url}],
        "tilesets": [_summary(base, layer, title)],
    }


def tileset(base: str, layer: Layer, title: str, bbox: list[float] | None) -> dict[str, Any]:
    """The tileset's metadata: its layer and fields, the zooms that hold features."""
    name, fields = TILE_LAYERS[layer.name]
    document = _summary(base, layer, title)
    document["layers"] = [
        {
            "id": name,
            "dataType": "vector",
            "geometryDimension": 2,
            "minTileMatrix": str(tiles.MIN_ZOOM),
            "maxTileMatrix": str(tiles.MAX_ZOOM),
            "propertiesSchema": {
                "type": "object",
                "properties": {
                    key: {"type": "number" if kind == "Number" else "string"}
                    for key, kind in fields.items()
                },
            },
        }
    ]
    if bbox:
        document["boundingBox"] = {
            "lowerLeft": bbox[:2],
            "upperRight": bbox[2:],
            "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        }
    return document


def tilejson(base: str, layer: Layer, title: str, bbox: list[float] | None) -> dict[str, Any]:
    """TileJSON 3.0.0 of the collection's tiles."""
    name, fields = TILE_LAYERS[layer.name]
    template = f"{base}/collections/{layer.name}/tiles/{TMS_ID}/{{z}}/{{y}}/{{x}}"
    document: dict[str, Any] = {
        "tilejson": "3.0.0",
        "name": title,
        "scheme": "xyz",
        "tiles": [template],
        "minzoom": tiles.MIN_ZOOM,
        "maxzoom": tiles.MAX_ZOOM,
        "vector_layers": [
            {
                "id": name,
                "fields": fields,
                "minzoom": tiles.MIN_ZOOM,
                "maxzoom": tiles.MAX_ZOOM,
            }
        ],
    }
    if bbox:
        document["bounds"] = bbox
        document["center"] = [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2, tiles.MIN_ZOOM + 4]
    return document
