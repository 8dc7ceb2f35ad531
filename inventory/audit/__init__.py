"""The auditor workspace (`/audit`): the anomaly list with filters, counts and a map,
each flag's page with its workflow, exports, and the yearly dashboard.

Views are thin: they parse the request, call one service of
inventory.services.anomalies (listing, exports, dashboard) and render. Everyone signed in
may come in; what they see and may change is decided by the services through
inventory.services.permissions (officers: their own municipality; auditors: read only).
"""

from flask import Blueprint

bp = Blueprint(
    "audit", __name__, url_prefix="/audit", static_folder="static", static_url_path="/static"
)

from inventory.audit import views  # noqa: E402,F401  (the routes attach to bp)
