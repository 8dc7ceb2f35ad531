"""A row of a public layer as a GeoJSON Feature, written by PostGIS.

The one place the OGC API (inventory.services.ogc) and the downloads
(inventory.services.opendata) turn a layer's rows into features, so a feature reads the
same from both.
"""

from __future__ import annotations

from collections.abc import Sequence

from inventory.services.public.layers import Layer

#: Decimal digits of coordinates: 7 in degrees is about a centimetre.
PRECISION = 7


def decimal_sql(value: str) -> str:
    """SQL writing a float column as a JSON number that always has a decimal part
    (`706.0`, not `706`), so that a client typing fields by the values it sees (GDAL,
    QGIS) types the field as real from the first feature on."""
    return (
        f"(CASE WHEN {value} IS NULL THEN 'null' "
        f"WHEN {value} = trunc({value}) AND abs({value}) < 1e15 "
        f"THEN trunc({value})::bigint::text || '.0' "
        f"ELSE to_json({value})::text END)::json"
    )


def feature_sql(
    layer: Layer,
    alias: str = "f",
    id_property: bool = False,
    fields: Sequence[str] | None = None,
    geometry: str | None = None,
    precision: int = PRECISION,
) -> str:
    """SQL building one GeoJSON Feature, as text, from a row of the layer. With
    `id_property` the id is also the first property, as files need it as a field.
    `fields` keeps only the named properties (in the layer's order); `geometry` is an SQL
    expression over `{alias}.geom` to write instead of the stored lon/lat geometry (an
    output CRS), with `precision` decimal digits.

    Text rather than json: the geometry PostGIS writes as GeoJSON text goes into the
    feature as it is, instead of being parsed into json and written out again.
    """
    wanted = set(fields) if fields is not None else None
    properties = ", ".join(
        f"'{field.name}', "
        + (
            decimal_sql(f"{alias}.{field.name}")
            if field.type == "float"
            else f"{alias}.{field.name}"
        )
        for field in layer.fields
        if (id_property or field.name != "id") and (wanted is None or field.name in wanted)
    )
    shape = geometry or f"{alias}.geom"
    return (
        f"""('{{"type": "Feature", "id": ' || {alias}.id """
        f"""|| ', "geometry": ' || coalesce(ST_AsGeoJSON({shape}, {precision}, 0), """
        f"""'null') || ', "properties": ' || json_build_object({properties})::text """
        f"""|| '}}')"""
    )
