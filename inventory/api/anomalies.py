"""The anomaly flags in the API: the filtered list (with the total) and its exports,
for every signed-in role (officers see their own municipality only)."""

from __future__ import annotations

from flask import g, jsonify, request

from inventory.api import bp
from inventory.audit import downloads
from inventory.database import get_session
from inventory.services.anomalies.listing import FlagFilters, page


@bp.get("/anomalies")
def list_anomalies():
    result = page(get_session(), g.actor, FlagFilters.from_args(request.args), with_counts=False)
    return jsonify(items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@bp.get("/anomalies/export.csv")
def export_anomalies_csv():
    return downloads.csv_response(g.actor, FlagFilters.from_args(request.args))


@bp.get("/anomalies/export.xlsx")
def export_anomalies_xlsx():
    return downloads.xlsx_response(g.actor, FlagFilters.from_args(request.args))


@bp.get("/anomalies/export.geojson")
def export_anomalies_geojson():
    return downloads.geojson_response(g.actor, FlagFilters.from_args(request.args))
