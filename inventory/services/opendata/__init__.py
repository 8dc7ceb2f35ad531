"""Open data: the public layers, their downloads (GeoJSON, GeoPackage, Shapefile, CSV),
the snapshot folder and the lease contracts as OCDS 1.1.

The layers and what of them is public are defined once, in inventory.services.public
(masked there by inventory.services.privacy); the OGC API (inventory.services.ogc) serves
the very same SQL. Nothing here knows Flask.
"""
