"""What the record pickers of the office forms ask (inventory/static/office/picker.js):
matching records of one kind by what people know them by, and, for parcels, the parcels
on a stretch of map to pick one by clicking it.

Signed-in users only (the blueprint's rule); each answer holds only records the user may
read, in the form's municipality when it names one.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g, jsonify, request

from inventory.database import get_session
from inventory.models import Municipality
from inventory.office import bp
from inventory.services.errors import ValidationError
from inventory.services.permissions import readable_municipality
from inventory.services.records import lookup, neighbours
from inventory.services.records.common import municipality_id
from inventory.web.maps import FALLBACK_CENTRE


@bp.get("/lookup/<kind>")
def lookup_records(kind: str):
    """{"items": [{"id", "label", "code"}]} of records of `kind` matching ?q= (at most
    lookup.MAX_QUERY characters), in ?municipality= (a slug) when given."""
    if kind not in lookup.PICKABLE:
        abort(404)
    try:
        items = lookup.find(
            get_session(),
            g.actor,
            kind,
            request.args.get("q", ""),
            request.args.get("municipality") or None,
        )
    except ValidationError as exc:
        return jsonify(message=exc.localized(), field=exc.field), 400
    return jsonify(items=items)


def _places(session) -> list[int] | None:
    """The municipalities the map shows parcels of: the form's (?municipality=), else the
    officer's own, else (admins, auditors) all."""
    slug = request.args.get("municipality")
    if slug:
        place = municipality_id(session, slug, g.actor)
        confined = readable_municipality(g.actor)
        if confined is not None and confined != place:
            return [confined]
        return [place]
    confined = readable_municipality(g.actor)
    return None if confined is None else [confined]


@bp.get("/lookup/parcels/map")
def lookup_parcels_on_map():
    """Parcels within ?bbox=west,south,east,north as GeoJSON; without a bbox, where the
    map should open: {"centre": [lat, lon]} of the municipality."""
    session = get_session()
    try:
        places = _places(session)
        if not request.args.get("bbox"):
            centre = None
            if places:
                point = session.execute(
                    sa.select(
                        sa.func.ST_Y(sa.func.ST_PointOnSurface(Municipality.boundary)),
                        sa.func.ST_X(sa.func.ST_PointOnSurface(Municipality.boundary)),
                    ).where(Municipality.id == places[0], Municipality.boundary.is_not(None))
                ).first()
                centre = list(point) if point else None
            return jsonify(centre=centre or list(FALLBACK_CENTRE))
        box = neighbours.parse_box(request.args.get("bbox"))
        return jsonify(neighbours.in_box(session, places, box))
    except ValidationError as exc:
        return jsonify(message=exc.localized(), field=exc.field), 400
