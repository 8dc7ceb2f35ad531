"""Liveness: `GET /health` says whether the app and its database answer."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify

from inventory.database.session import get_database, get_public_database
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
        return jsonify(
            status="unavailable", database="unreachable", reason=_reason(exc), version=__version__
        ), 503
    public = get_public_database()
    if public is not None:
        # Public pages read from their own database (PUBLIC_DATABASE_URL): without it the
        # map and the OGC API fail, so the instance is not healthy either.
        try:
            with public.engine.connect() as conn:
                read_only = conn.execute(sa.text("SHOW transaction_read_only")).scalar()
        except Exception as exc:  # any failure to reach it means "not healthy"
            return jsonify(
                status="unavailable",
                database="ok",
                public_database="unreachable",
                reason=_reason(exc),
                version=__version__,
            ), 503
        body["public_database"] = "ok"
        body["public_database_read_only"] = read_only == "on"
    return jsonify(body)


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0][:300]


@bp.get("/ready")
def ready():
    """Readiness: the database answers and its schema is the one this code expects.

    A load balancer sends traffic only to instances that answer 200 here; during a
    deployment, an instance whose database is not yet migrated answers 503.
    """
    from alembic.script import ScriptDirectory

    from inventory.database.migrate import alembic_config

    expected = ScriptDirectory.from_config(alembic_config("unused")).get_current_head()
    try:
        with get_database().engine.connect() as conn:
            current = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as exc:  # any failure means "not ready"
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:300]
        return jsonify(status="unavailable", reason=reason), 503
    if current != expected:
        return jsonify(
            status="unavailable",
            reason=f"database schema is {current}, "
            f"this version needs {expected}: run `inventory db upgrade`",
        ), 503
    return jsonify(status="ready", schema=current)
