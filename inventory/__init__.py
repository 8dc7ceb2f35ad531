"""Municipal property inventory: parcels, buildings and lease contracts on PostGIS.

`create_app` is the Flask application factory (found by `flask --app inventory run`).
"""

from inventory.factory import create_app  # noqa: F401
