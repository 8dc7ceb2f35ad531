"""The public map's routes: each parses the request, calls one service, and answers.

No sign-in anywhere here; every lessee shown has been masked by
inventory.services.privacy before it reaches these functions.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from inventory.database import get_session
from inventory.web.errors import MESSAGES, TITLES
from webmap import mapbuild
from webmap.labels import STATUS_LABELS, status_label
from webmap.services import places, search, tiles
from webmap.services.parcels import PublicParcel, public_parcel

bp = Blueprint("webmap", __name__, template_folder="templates", static_folder="static",
               static_url_path="/webmap/static")

#: Seconds a browser or proxy may reuse a tile before asking again (then ETag -> 304).
TILE_MAX_AGE = 60
MVT_MIMETYPE = "application/vnd.mapbox-vector-tile"
#: Stands for the parcel id in URL templates handed to the page's script.
_ID_PLACEHOLDER = 999999999


def _language() -> str:
    """The request's language. Asking Flask-Babel runs the locale selector now: it would
    otherwise run only at the first translated text, after names were already fetched."""
    locale = get_locale()
    return str(locale) if locale else current_app.config["DEFAULT_LANGUAGE"]


def _basemap_url() -> str | None:
    """BASEMAP_URL, or None when set empty or to "none" (the environment cannot say "")."""
    url = (current_app.config.get("BASEMAP_URL") or "").strip()
    return None if url.lower() in ("", "none", "off") else url


@bp.get("/")
def map_page():
    """The public map: base map, parcels as vector tiles, legend, search; no parcel data."""
    municipalities = places.municipality_extents(get_session(), _language())
    chosen = request.args.get("m")
    opening = next((p for p in municipalities if p.slug == chosen and p.bbox), None) or \
        next((p for p in municipalities if p.bbox), None)
    vendor = mapbuild.VendorUrls(
        leaflet_js=url_for("webmap.static", filename="vendor/leaflet/leaflet.js"),
        leaflet_css=url_for("webmap.static", filename="vendor/leaflet/leaflet.css"),
        vectorgrid_js=url_for("webmap.static", filename=(
            "vendor/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js")))
    tiles_url = url_for("webmap.parcel_tile", z=0, x=0, y=0).replace(
        "/0/0/0.pbf", "/{z}/{x}/{y}.pbf")
    rendered = mapbuild.build_map(
        tiles_url=tiles_url, vendor=vendor, basemap_url=_basemap_url(),
        basemap_name=gettext("Base map"), layer_name=gettext("Parcels"),
        bbox=opening.bbox if opening else None, min_zoom=tiles.MIN_ZOOM)
    client = {
        "language": _language(),
        "minZoom": tiles.MIN_ZOOM,
        "colours": mapbuild.STATUS_COLOURS,
        "parcelJson": url_for("webmap.parcel_json", parcel_id=_ID_PLACEHOLDER),
        "parcelPage": url_for("webmap.parcel_page", parcel_id=_ID_PLACEHOLDER),
        "idPlaceholder": str(_ID_PLACEHOLDER),
        "search": url_for("webmap.search_json"),
        "places": {p.slug: p.bbox for p in municipalities if p.bbox},
        "texts": {key: str(text) for key, text in _CLIENT_TEXTS.items()},
    }
    return render_template("webmap/map.html", fmap=rendered, client=client,
                           municipalities=municipalities, statuses=STATUS_LABELS,
                           colours=mapbuild.STATUS_COLOURS)


#: Words the page's script shows (popups, search); translated per request.
_CLIENT_TEXTS = {
    "loading": _l("Loading…"),
    "failed": _l("Could not load the data. Check the connection and try again."),
    "noResults": _l("Nothing found."),
    "status": _l("Status"),
    "designatedUse": _l("Designated use"),
    "address": _l("Address"),
    "identCode": _l("Identification code"),
    "lessee": _l("Lessee"),
    "leasedUntil": _l("Leased until"),
    "annualRent": _l("Annual rent, som"),
    "openCard": _l("Open the parcel's card"),
}


@bp.get("/tiles/parcels/<int:z>/<int:x>/<int:y>.pbf")
def parcel_tile(z: int, x: int, y: int):
    """An MVT tile of parcels; 204 when empty, 304 when the client's ETag still matches."""
    try:
        data = tiles.parcel_tile(get_session(), z, x, y)
    except tiles.TileRangeError as exc:
        abort(404, str(exc))
    if not data:
        response = Response(status=204)
    else:
        response = Response(data, mimetype=MVT_MIMETYPE)
        response.set_etag(tiles.tile_etag(data))
        response.make_conditional(request)
    response.cache_control.public = True
    response.cache_control.max_age = TILE_MAX_AGE
    return response


def _parcel_or_404(parcel_id: int) -> PublicParcel:
    parcel = public_parcel(get_session(), parcel_id, _language())
    if parcel is None:
        abort(404)
    return parcel


@bp.get("/parcels/<int:parcel_id>")
def parcel_page(parcel_id: int):
    """A parcel's public card as a page."""
    parcel = _parcel_or_404(parcel_id)
    lessee = parcel.contract.lessee.display_name(gettext) if parcel.contract else None
    return render_template("webmap/parcel.html", parcel=parcel, lessee_name=lessee,
                           status_label=status_label)


@bp.get("/parcels/<int:parcel_id>.json")
def parcel_json(parcel_id: int):
    """The same card as JSON, for the map's popup."""
    parcel = public_parcel(get_session(), parcel_id, _language())
    if parcel is None:
        return jsonify(error=str(TITLES[404]), message=str(MESSAGES[404])), 404
    return jsonify(parcel_as_dict(parcel))


def parcel_as_dict(parcel: PublicParcel) -> dict:
    """JSON-ready card; numbers as strings where they are money or areas (exact decimals)."""
    contract = parcel.contract
    return {
        "id": parcel.id, "ident_code": parcel.ident_code, "address": parcel.address,
        "status": parcel.status, "status_label": status_label(parcel.status),
        "municipality": parcel.municipality, "municipality_name": parcel.municipality_name,
        "designated_use": parcel.designated_use,
        "designated_use_name": parcel.designated_use_name,
        "documented_area": _decimal(parcel.documented_area),
        "measured_area": _decimal(parcel.measured_area),
        "bbox": parcel.bbox,
        "contract": None if contract is None else {
            "start_date": contract.start_date.isoformat(),
            "end_date": contract.end_date.isoformat(),
            "annual_rent": _decimal(contract.annual_rent),
            "contracted_use_name": contract.contracted_use,
            "lessee": contract.lessee.as_dict(gettext),
        },
        "url": url_for("webmap.parcel_page", parcel_id=parcel.id),
    }


def _decimal(value) -> str | None:
    return None if value is None else str(value)


@bp.get("/search")
def search_json():
    """Parcels matching ?q= by code, address or company lessee, best first (JSON)."""
    query = request.args.get("q", "")
    limit = request.args.get("limit", search.DEFAULT_LIMIT, type=int)
    hits = search.search_parcels(get_session(), query, limit)
    return jsonify(query=query, results=[{
        "id": hit.id, "ident_code": hit.ident_code, "address": hit.address,
        "status": hit.status, "status_label": status_label(hit.status),
        "municipality": hit.municipality, "bbox": hit.bbox,
        "lessee": None if hit.lessee is None else hit.lessee.as_dict(gettext),
    } for hit in hits])
