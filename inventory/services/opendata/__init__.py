"""Open data: the public layers, their downloads (GeoJSON, GeoPackage, Shapefile, CSV),
the snapshot folder and the lease contracts as OCDS 1.1.

Every layer is defined once in `layers` and masked there by inventory.services.privacy;
the OGC API (inventory.services.ogc) serves the very same SQL. Nothing here knows Flask.
"""
