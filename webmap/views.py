"""The public map's routes: each parses the request, calls one service, and answers.

No sign-in anywhere here; every lessee shown has been masked by
inventory.services.privacy before it reaches these functions. The free-plot list and the
data page live in webmap.pages, citizen reports in webmap.report_views; all share `bp`.
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l

from inventory.database import (
    get_public_session,
)
from inventory.i18n import current_language
from inventory.services.public import free, in_view, overlays, reports, search, tiles
from inventory.services.public.parcels import PublicParcel, public_parcel
from inventory.web import formatting
from inventory.web.errors import MESSAGES, TITLES
from inventory.web.maps import basemap
from inventory.web.tiles import tile_response
from webmap import mapbuild
from webmap.blueprint import bp, municipality_places
from webmap.labels import STATUS_LABELS, status_label

#: Stands for the parcel id in URL templates handed to the page's script.
_ID_PLACEHOLDER = 999999999


@bp.get("/")
def map_page():
    """The public map: base map, parcels as vector tiles, legend, search; no parcel data."""
    municipalities = municipality_places(get_public_session())
    chosen = request.args.get("m")
    opening = next((p for p in municipalities if p.slug == chosen and p.bbox), None) or next(
        (p for p in municipalities if p.bbox), None
    )
    vendor = mapbuild.VendorUrls(
        leaflet_js=url_for("webmap.static", filename="vendor/leaflet/leaflet.js"),
        leaflet_css=url_for("webmap.static", filename="vendor/leaflet/leaflet.css"),
        vectorgrid_js=url_for(
            "webmap.static",
            filename=("vendor/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js"),
        ),
    )
    rendered = mapbuild.build_map(
        tiles_url=_tile_template("webmap.parcel_tile"),
        buildings_url=_tile_template("webmap.building_tile"),
        vendor=vendor,
        basemap=basemap(current_app.config.get("BASEMAP_URL")),
        basemap_name=gettext("Base map"),
        layer_name=gettext("Parcels"),
        buildings_name=gettext("Buildings"),
        bbox=opening.bbox if opening else None,
        min_zoom=tiles.MIN_ZOOM,
    )
    language = current_language()
    client = {
        "language": language,
        "minZoom": tiles.MIN_ZOOM,
        "colours": mapbuild.STATUS_COLOURS,
        "buildingColour": mapbuild.BUILDING_COLOUR,
        "zones": url_for("webmap.zones_geojson"),
        "boundaries": url_for("webmap.boundaries_geojson"),
        "report": url_for("webmap.report_form"),
        "parcelJson": url_for("webmap.parcel_json", parcel_id=_ID_PLACEHOLDER),
        "parcelPage": url_for("webmap.parcel_page", parcel_id=_ID_PLACEHOLDER),
        "idPlaceholder": str(_ID_PLACEHOLDER),
        "search": url_for("webmap.search_json"),
        "inView": url_for("webmap.parcels_in_view_json"),
        "lots": url_for("webmap.lots_geojson"),
        "auctions": url_for("webmap.auctions_page"),
        "places": {p.slug: p.bbox for p in municipalities if p.bbox},
        "texts": {key: str(text) for key, text in _CLIENT_TEXTS.items()},
        # How the page's language writes numbers, for the numbers of tiles' features.
        "numberSigns": {"group": formatting.group_symbol(), "decimal": formatting.decimal_symbol()},
    }
    return render_template(
        "webmap/map.html",
        fmap=rendered,
        client=client,
        municipalities=municipalities,
        statuses=STATUS_LABELS,
        colours=mapbuild.STATUS_COLOURS,
        uses=free.land_uses(get_public_session(), language),
        building_colour=mapbuild.BUILDING_COLOUR,
    )


def _tile_template(endpoint: str) -> str:
    """The Leaflet URL template of a tile endpoint: `.../{z}/{x}/{y}.pbf`."""
    return url_for(endpoint, z=0, x=0, y=0).replace("/0/0/0.pbf", "/{z}/{x}/{y}.pbf")


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
    "report": _l("Report a problem here"),
    "zones": _l("Economic-planning zones"),
    "boundaries": _l("Municipal borders"),
    "zone": _l("Zone"),
    "demoValue": _l("demo value"),
    "pickPlace": _l("Click the place on the map you want to report about."),
    "lots": _l("Auction lots"),
    "lot": _l("Lot"),
    "auctionDate": _l("Auction date"),
    "startingRent": _l("Starting annual rent, som"),
    "seeAuctions": _l("See the auctions"),
    "inViewZoom": _l("Zoom in to list the parcels in view."),
    "inViewNone": _l("No parcels in view."),
    "noParcelAtCentre": _l("No parcel under the cross at the centre of the map."),
    "inViewMore": _l(
        "Only the parcels nearest the centre are listed: move or zoom the map for others."
    ),
}


@bp.get("/tiles/parcels/<int:z>/<int:x>/<int:y>.pbf")
def parcel_tile(z: int, x: int, y: int):
    """An MVT tile of parcels; 204 when empty, 304 when the client's ETag still matches."""
    return tile_response(tiles.LAYER, tiles.parcel_tile, z, x, y)


@bp.get("/tiles/buildings/<int:z>/<int:x>/<int:y>.pbf")
def building_tile(z: int, x: int, y: int):
    """An MVT tile of buildings, cached like the parcels' tiles."""
    return tile_response(tiles.BUILDING_LAYER, tiles.building_tile, z, x, y)


def _parcel_or_404(parcel_id: int) -> PublicParcel:
    parcel = public_parcel(get_public_session(), parcel_id, current_language())
    if parcel is None:
        abort(404)
    return parcel


#: Seconds the overlays may be reused: zones and borders change a few times a year.
LAYER_MAX_AGE = 300


@bp.get("/layers/zones.geojson")
def zones_geojson():
    """Economic-planning zones in force that touch ?bbox=west,south,east,north (GeoJSON)."""
    try:
        bbox = overlays.parse_bbox(request.args.get("bbox", ""))
    except overlays.BBoxError as exc:
        abort(400, str(exc))
    return _geojson(overlays.zones_geojson(get_public_session(), bbox))


@bp.get("/layers/boundaries.geojson")
def boundaries_geojson():
    """The municipalities' borders, simplified (GeoJSON)."""
    return _geojson(overlays.boundaries_geojson(get_public_session(), current_language()))


def _geojson(text: str) -> Response:
    response = Response(text, mimetype="application/geo+json")
    response.cache_control.public = True
    response.cache_control.max_age = LAYER_MAX_AGE
    return response


@bp.get("/parcels/<int:parcel_id>")
def parcel_page(parcel_id: int):
    """A parcel's public card as a page, with its published citizen reports."""
    parcel = _parcel_or_404(parcel_id)
    lessee = parcel.contract.lessee.display_name(gettext) if parcel.contract else None
    return render_template(
        "webmap/parcel.html",
        parcel=parcel,
        lessee_name=lessee,
        status_label=status_label,
        reports=reports.public_reports(get_public_session(), parcel_id),
    )


@bp.get("/parcels/<int:parcel_id>.json")
def parcel_json(parcel_id: int):
    """The same card as JSON, for the map's popup."""
    parcel = public_parcel(get_public_session(), parcel_id, current_language())
    if parcel is None:
        return jsonify(error=str(TITLES[404]), message=str(MESSAGES[404])), 404
    return jsonify(parcel_as_dict(parcel))


def parcel_as_dict(parcel: PublicParcel) -> dict:
    """JSON-ready card; numbers as strings where they are money or areas (exact decimals)."""
    contract = parcel.contract
    return {
        "id": parcel.id,
        "ident_code": parcel.ident_code,
        "address": parcel.address,
        "status": parcel.status,
        "status_label": status_label(parcel.status),
        "municipality": parcel.municipality,
        "municipality_name": parcel.municipality_name,
        "designated_use": parcel.designated_use,
        "designated_use_name": parcel.designated_use_name,
        "documented_area": _decimal(parcel.documented_area),
        "measured_area": _decimal(parcel.measured_area),
        "bbox": parcel.bbox,
        # As the card page writes them in the reader's language; the script shows these
        # (Chromium has no Kyrgyz number or date format of its own).
        "shown": {
            "end_date": None if contract is None else formatting.day(contract.end_date),
            "annual_rent": None if contract is None else formatting.number(contract.annual_rent, 2),
            "kz": None if parcel.zone is None else formatting.number(parcel.zone.kz),
        },
        "contract": None
        if contract is None
        else {
            "start_date": contract.start_date.isoformat(),
            "end_date": contract.end_date.isoformat(),
            "annual_rent": _decimal(contract.annual_rent),
            "contracted_use_name": contract.contracted_use,
            "lessee": contract.lessee.as_dict(gettext),
        },
        "zone": None
        if parcel.zone is None
        else {
            "code": parcel.zone.code,
            "name": parcel.zone.name,
            "kz": _decimal(parcel.zone.kz),
            "is_demo": parcel.zone.is_demo,
        },
        "flags": [
            {"rule": flag.rule, "severity": flag.severity, "message": flag.message}
            for flag in parcel.flags
        ],
        "url": url_for("webmap.parcel_page", parcel_id=parcel.id),
    }


def _decimal(value) -> str | None:
    return None if value is None else str(value)


@bp.get("/search")
def search_json():
    """Parcels matching ?q= by code, address or company lessee, best first (JSON):
    `results`, `total` (all matches) and, when not all are listed, `more` (a sentence
    that says so)."""
    query = request.args.get("q", "")
    limit = request.args.get("limit", search.DEFAULT_LIMIT, type=int)
    found = search.search_parcels(get_public_session(), query, limit)
    more = None
    if found.total > len(found.hits):
        # Said in the reader's language with the numbers grouped as it groups them: the
        # page's script only shows it (Chromium has no Kyrgyz number format).
        more = gettext(
            "The best %(shown)s of %(total)s matches are shown: add a word or a number"
            " to find the others.",
            shown=format_decimal(len(found.hits)),
            total=format_decimal(found.total),
        )
    return jsonify(
        query=query,
        results=[_hit_as_dict(hit) for hit in found.hits],
        total=found.total,
        more=more,
    )


@bp.get("/parcels/in-view.json")
def parcels_in_view_json():
    """The visible parcels of ?bbox=west,south,east,north nearest its centre (at most
    50), filtered as the map is (?m=, ?use=, ?status=a,b): the keyboard's way to a
    parcel's card (JSON, entries as the search's)."""
    found = in_view.parcels_in_view(
        get_public_session(),
        in_view.parse_view(request.args.get("bbox", "")),
        in_view.view_filters(
            request.args.get("m"), request.args.get("use"), request.args.get("status")
        ),
    )
    return jsonify(results=[_hit_as_dict(hit) for hit in found.parcels], more=found.more)


def _hit_as_dict(hit: search.SearchHit) -> dict:
    """A parcel of a list (search, parcels in view) as JSON, its lessee masked."""
    return {
        "id": hit.id,
        "ident_code": hit.ident_code,
        "address": hit.address,
        "status": hit.status,
        "status_label": status_label(hit.status),
        "municipality": hit.municipality,
        "bbox": hit.bbox,
        "lessee": None if hit.lessee is None else hit.lessee.as_dict(gettext),
    }


# The other route modules register on `bp` when imported; the factory imports only this one.
from webmap import auctions, campaigns, pages, report_views  # noqa: E402,F401
