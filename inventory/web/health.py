"""Liveness: `GET /health` says whether the app and its database answer."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify

from inventory.database.session import get_database
from inventory.version import __version__

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    """200 with the PostGIS version when the database answers, else 503 with the reason."""
    body = {"status": "ok", "database": "ok", "version": __version__}
    try:
        with get_database().engine.connect() as conn:
            body["postgis"] = conn.execute(sa.text("SELECT postgis_lib_version()")).scalar()
    except Exception as exc:  # any failure to reach the database means "not healthy"
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:300]
        return jsonify(status="unavailable", database="unreachable", reason=reason,
                       version=__version__), 503
    return jsonify(body)
