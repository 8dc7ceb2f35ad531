"""Open data downloads at /opendata: thin routes over inventory.services.opendata."""

from inventory.opendata.routes import bp  # noqa: F401
