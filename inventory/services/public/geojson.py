"""A row of a public layer as a GeoJSON Feature, written by PostGIS.

The one place the OGC API (inventory.services.ogc) and the downloads
(inventory.services.opendata) turn a layer's rows into features, so a feature reads the
same from both.
"""

from __future__ import annotations

from inventory.services.public.layers import Layer

#: Decimal digits of coordinates: 7 in degrees is about a centimetre.
PRECISION = 7


def feature_sql(layer: Layer, alias: str = "f", id_property: bool = False) -> str:
    """SQL building one GeoJSON Feature, as text, from a row of the layer. With
    `id_property` the id is also the first property, as files need it as a field.

    Text rather than json: the geometry PostGIS writes as GeoJSON text goes into the
    feature as it is, instead of being parsed into json and written out again.
    """
    properties = ", ".join(
        f"'{name}', {alias}.{name}" for name in layer.field_names if id_property or name != "id"
    )
    return (
        f"""('{{"type": "Feature", "id": ' || {alias}.id """
        f"""|| ', "geometry": ' || coalesce(ST_AsGeoJSON({alias}.geom, {PRECISION}), """
        f"""'null') || ', "properties": ' || json_build_object({properties})::text """
        f"""|| '}}')"""
    )
