"""The JSON API, version 1 (`/api/v1`): thin routes over inventory.services.records.

Who is calling is settled before any route runs (inventory.api.access): a bearer token,
or the signed-in session with its CSRF token for writes. The OpenAPI document at
`/api/v1/openapi.json` describes every route (inventory.api.openapi).
"""

from flask import Blueprint

from inventory.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token calls carry no cookie, so CSRF cannot apply to them; session-cookie writes are
# checked for the X-CSRFToken header in inventory.api.access instead.
csrf.exempt(bp)

from inventory.api import (  # noqa: E402,F401  (they attach to bp)
    access,
    anomalies,  # noqa: E402,F401  (the auditor's routes)
    campaigns,
    documents,
    imports,
    lots,
    reports,
    routes,
    tokens,
)
