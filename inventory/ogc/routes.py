"""The routes of /ogc. Each hands the request to inventory.services.ogc and answers in
the format asked for (`f=json`/`f=html`, else the Accept header; JSON by default)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext

from inventory.database import get_public_session
from inventory.services.errors import NotFound, ValidationError
from inventory.services.ogc import documents, features, openapi
from inventory.services.ogc.params import parse_items_query
from inventory.services.public.layers import LAYERS, Layer

bp = Blueprint("ogc", __name__, url_prefix="/ogc")

#: Seconds a client, nginx or a CDN may reuse an answer before asking again (then the
#: ETag turns an unchanged answer into a 304).
MAX_AGE = 60


def _wants_html() -> bool:
    chosen = request.args.get("f")
    if chosen in ("json", "html"):
        return chosen == "html"
    if chosen:
        raise ValidationError("f must be json or html", field="f")
    best = request.accept_mimetypes.best_match(
        ["application/json", "application/geo+json", "text/html"], default="application/json"
    )
    return (
        best == "text/html"
        and request.accept_mimetypes[best] > request.accept_mimetypes["application/json"]
    )


def _base() -> str:
    return url_for("ogc.landing", _external=True).rstrip("/")


def _layer(collection_id: str) -> Layer:
    if collection_id not in LAYERS:
        raise NotFound("no such collection", field="collectionId")
    return LAYERS[collection_id]


def _answer(
    document: dict[str, Any] | str,
    template: str,
    media: str = documents.JSON,
    etag_of: str | None = None,
    **context: Any,
) -> Response:
    """The document as HTML or JSON, cacheable. `etag_of` is what the ETag is computed
    from when the body holds something that changes on every request (a timestamp)."""
    if _wants_html():
        data = json.loads(document) if isinstance(document, str) else document
        response = Response(render_template(template, doc=data, **context), mimetype="text/html")
    else:
        body = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
        response = Response(body, mimetype=media)
    return _cacheable(response, etag_of)


def _cacheable(response: Response, etag_of: str | None) -> Response:
    """Cache-Control and an ETag, so that nginx or a CDN may serve repeated requests;
    answers differ by format and language, hence Vary."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(response.mimetype.encode())
    digest.update((etag_of if etag_of is not None else response.get_data(as_text=True)).encode())
    response.set_etag(digest.hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.vary.update(("Accept", "Accept-Language", "Cookie"))
    return response.make_conditional(request)


@bp.get("", strict_slashes=False)
def landing():
    return _answer(documents.landing(_base(), gettext), "ogc/landing.html")


@bp.get("/conformance")
def conformance():
    return _answer(documents.conformance(), "ogc/conformance.html")


@bp.get("/api")
def api():
    return _cacheable(
        Response(json.dumps(openapi.openapi(_base())), mimetype=documents.OPENAPI), None
    )


@bp.get("/collections")
def collections():
    return _answer(
        documents.collections(get_public_session(), _base(), gettext), "ogc/collections.html"
    )


@bp.get("/collections/<collection_id>")
def collection(collection_id: str):
    return _answer(
        documents.collection(
            get_public_session(),
            _layer(collection_id),
            _base(),
            gettext,
            documents.municipal_extent(get_public_session()),
        ),
        "ogc/collection.html",
    )


@bp.get("/collections/<collection_id>/items")
def items(collection_id: str):
    layer = _layer(collection_id)
    query = parse_items_query(layer, request.args)
    page = features.items(get_public_session(), layer, query)
    links = documents.items_links(_base(), layer, query, page, request.args)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    # The ETag leaves the timestamp out: the same features, links and count are the same
    # answer whenever it was made.
    same = f"{page.matched}{page.features}{json.dumps(links)}" if not _wants_html() else None
    return _answer(
        documents.feature_collection_text(page, links, stamp),
        "ogc/items.html",
        documents.GEOJSON,
        etag_of=same,
        layer=layer,
    )


@bp.get("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str):
    layer = _layer(collection_id)
    found = features.item(get_public_session(), layer, feature_id)
    return _answer(
        documents.feature_text(found, _base(), layer, feature_id),
        "ogc/item.html",
        documents.GEOJSON,
        layer=layer,
    )
