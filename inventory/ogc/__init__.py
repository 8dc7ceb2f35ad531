"""OGC API - Features at /ogc: thin routes over inventory.services.ogc."""

from inventory.ogc.routes import bp  # noqa: F401
