"""OGC API - Features, Part 1 (Core): the documents and the feature queries.

Plain functions over a session and plain values; the Flask blueprint in inventory.ogc
only parses the request and picks JSON or HTML. The collections are the public layers
of inventory.services.public.layers, so every lessee is masked in SQL.
"""
