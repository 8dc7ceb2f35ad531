"""The public read model: what residents may see, as functions over a session (no Flask).

Everything the public map (webmap), the OGC API, the open-data downloads and OCDS show
is read through this package:

- `model`: which records are public (visible parcels and buildings, decided contracts,
  a parcel's current active contract with its masked lessee), as SQL conditions;
- `layers`: which fields of them are published, one dataset each, and `geojson`, a row of
  one as a GeoJSON feature;
- the map's reads: `tiles` (and `tile_cache`), `parcels` (a parcel's card), `search`,
  `in_view` (the parcels of a view nearest its centre, the keyboard's way to a card),
  `free` (plots free to lease), `places`, `overlays` (zones and borders), `about`, and
  `reports` (citizen reports, public once an officer publishes them).

Lessees are masked by inventory.services.privacy, the one masking module: a private
individual is never named.
"""
