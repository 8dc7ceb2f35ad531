"""OGC API - Tiles at /ogc: the tile matrix set, each tiled collection's tilesets,
tileset and TileJSON, and the tiles themselves (made and cached as the public map's)."""

from __future__ import annotations

from flask import Response, abort
from flask_babel import gettext

from inventory.database import get_public_session
from inventory.ogc.routes import _answer, _base, _layer, bp
from inventory.services.ogc import documents, tilesets
from inventory.services.public import tiles
from inventory.services.public.layers import Layer
from inventory.web.tiles import tile_response

_MAKERS = {"parcels": tiles.parcel_tile, "buildings": tiles.building_tile}


def _tiled(collection_id: str) -> Layer:
    layer = _layer(collection_id)
    if layer.name not in documents.TILED:
        abort(404)
    return layer


#: The one tile matrix set; any other name is a 404 (no route).
_TILESET = f"/collections/<collection_id>/tiles/{tilesets.TMS_ID}"


@bp.get("/tileMatrixSets")
def tile_matrix_sets():
    return _answer(tilesets.tile_matrix_sets(_base()), "ogc/document.html")


@bp.get(f"/tileMatrixSets/{tilesets.TMS_ID}")
def tile_matrix_set():
    return _answer(tilesets.tile_matrix_set(), "ogc/document.html")


@bp.get("/collections/<collection_id>/tiles")
def collection_tilesets(collection_id: str):
    layer = _tiled(collection_id)
    return _answer(tilesets.tilesets(_base(), layer, gettext(layer.title)), "ogc/document.html")


@bp.get(_TILESET)
def collection_tileset(collection_id: str):
    layer = _tiled(collection_id)
    extent = documents.municipal_extent(get_public_session())
    return _answer(
        tilesets.tileset(_base(), layer, gettext(layer.title), extent), "ogc/document.html"
    )


@bp.get(f"{_TILESET}/tilejson.json")
def collection_tilejson(collection_id: str):
    layer = _tiled(collection_id)
    extent = documents.municipal_extent(get_public_session())
    return _answer(
        tilesets.tilejson(_base(), layer, gettext(layer.title), extent), "ogc/document.html"
    )


@bp.get(f"{_TILESET}/<int:z>/<int:y>/<int:x>")
def collection_tile(collection_id: str, z: int, y: int, x: int) -> Response:
    """The tile of tileMatrix z, tileRow y, tileCol x: 204 when empty, 304 when the
    client's ETag still matches."""
    layer = _tiled(collection_id)
    name = tilesets.TILE_LAYERS[layer.name][0]
    return tile_response(name, _MAKERS[layer.name], z, x, y)
