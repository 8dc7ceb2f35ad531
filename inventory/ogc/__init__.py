"""OGC API - Features and Tiles at /ogc: thin routes over inventory.services.ogc."""

from inventory.ogc import tile_routes  # noqa: F401  (registers the tile routes on bp)
from inventory.ogc.routes import bp  # noqa: F401
