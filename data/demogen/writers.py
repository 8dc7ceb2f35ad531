"""Deterministic files: GeoJSON and CSV written by hand, GeoPackage through pyogrio.

GeoJSON is one feature per line, properties in the fixed order of data/README.md,
coordinates with exactly 7 decimals, exterior rings counter-clockwise. CSV is UTF-8
with "\\n" line ends. Rows are sorted by their natural keys within each municipality,
and municipalities come in slug order, so a diff of two runs shows real changes only.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon

GEOJSON = {
    "municipalities": ("slug", "name_ky", "name_ru", "name_en", "measure_srid", "code_pattern"),
    "zones": ("municipality", "code", "name", "kz", "valid_from", "valid_to"),
    "protected_areas": ("municipality", "kind", "name"),
    "parcels": (
        "municipality",
        "ident_code",
        "address",
        "land_category",
        "designated_use",
        "status",
        "documented_area",
    ),
    "buildings": (
        "municipality",
        "inventory_number",
        "parcel_ident_code",
        "kind",
        "name",
        "address",
        "floor_area",
        "floors",
        "year_built",
    ),
}
CSV = {
    "base_rates": ("municipality", "land_category", "rate", "valid_from"),
    "lessees": (
        "municipality",
        "key",
        "kind",
        "name",
        "inn",
        "phone",
        "email",
        "address",
        "document",
    ),
    "contracts": (
        "municipality",
        "number",
        "signed_on",
        "lessee_key",
        "start_date",
        "end_date",
        "contracted_use",
        "rent_amount",
        "rent_period",
        "leased_area",
        "basis",
        "basis_ref",
        "status",
        "terminated_on",
        "previous_number",
        "relation",
        "objects",
    ),
    "payments": ("municipality", "contract_number", "paid_on", "amount", "reference"),
    "inspections": (
        "municipality",
        "parcel_ident_code",
        "inspected_on",
        "inspector",
        "observed_use",
        "occupied",
        "note",
        "lon",
        "lat",
    ),
    "planted": ("rule", "municipality", "object_kind", "object_key", "detail"),
}
#: Files written as GeoPackage instead of GeoJSON in scale runs.
GPKG_LAYERS = ("parcels", "buildings")
ORDER = (
    "municipalities",
    "zones",
    "base_rates",
    "protected_areas",
    "parcels",
    "buildings",
    "lessees",
    "contracts",
    "payments",
    "inspections",
    "planted",
)


def _coord(value: float) -> str:
    return f"{value:.7f}"


def ring_json(ring) -> str:
    return "[" + ",".join(f"[{_coord(x)},{_coord(y)}]" for x, y in ring) + "]"


def polygon_json(ring) -> str:
    """A Polygon from one ring (closing point added here)."""
    ring = list(ring)
    return '{"type":"Polygon","coordinates":[' + ring_json(ring + ring[:1]) + "]}"


def multipolygon_json(geom: MultiPolygon) -> str:
    parts = []
    for poly in shapely.get_parts(geom):
        poly = shapely.geometry.polygon.orient(poly, 1.0)
        rings = [poly.exterior, *poly.interiors]
        parts.append("[" + ",".join(ring_json(r.coords) for r in rings) + "]")
    return '{"type":"MultiPolygon","coordinates":[' + ",".join(parts) + "]}"


def feature(names: tuple[str, ...], values: tuple, geometry: str | None) -> str:
    props = ",".join(
        f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}"
        for k, v in zip(names, values, strict=True)
    )
    return (
        '{"type":"Feature","properties":{'
        + props
        + '},"geometry":'
        + (geometry if geometry is not None else "null")
        + "}"
    )


def render(rows: dict) -> dict:
    """A municipality's rows as file text: {stem: (text, row count)}; GeoPackage layers
    stay columns. Runs in the worker, so the writing process only appends text."""
    out = {}
    for stem, value in rows.items():
        if stem in CSV:
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(value)
            out[stem] = (buffer.getvalue(), len(value))
        elif isinstance(value, list):
            out[stem] = (",\n".join(value), len(value))
        else:
            out[stem] = value
    return out


class Output:
    """The open output files of a run; chunks (one per municipality) are appended in
    order and `close` returns the row count of every file, by file stem (the same key
    whether parcels went to GeoJSON or GeoPackage)."""

    def __init__(self, out_dir: Path, gpkg: bool):
        self.dir = Path(out_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.gpkg = gpkg
        self.counts: dict[str, int] = {}
        self._files = {}
        for stem in ORDER:
            for suffix in (".geojson", ".csv", ".gpkg"):
                stale = self.dir / f"{stem}{suffix}"
                if stale.exists():  # a leftover of the other format would be read first
                    stale.unlink()
        for stem in ORDER:
            if stem in GEOJSON and not (gpkg and stem in GPKG_LAYERS):
                handle = open(self.dir / f"{stem}.geojson", "w", encoding="utf-8", newline="\n")
                handle.write('{"type":"FeatureCollection","features":[\n')
                self._files[stem] = handle
            elif stem in CSV:
                handle = open(self.dir / f"{stem}.csv", "w", encoding="utf-8", newline="")
                csv.writer(handle, lineterminator="\n").writerow(CSV[stem])
                self._files[stem] = handle
            self.counts[stem] = 0

    def add(self, chunk: dict) -> None:
        """Append a municipality's rendered rows (see `render`)."""
        for stem in ORDER:
            value = chunk.get(stem)
            if not value:
                continue
            if stem in self._files:
                text, count = value
                if not count:
                    continue
                if stem in GEOJSON and self.counts[stem]:
                    text = ",\n" + text
                self._files[stem].write(text)
                self.counts[stem] += count
            elif value["geometry"]:
                self._gpkg(stem, value)

    def _gpkg(self, stem: str, columns: dict) -> None:
        import numpy as np
        import pyogrio
        from pyogrio.raw import write

        # GeoPackage records a "last change" time; pin it so that runs are identical.
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2000-01-01T00:00:00.000Z"})

        names = GEOJSON[stem]
        path = self.dir / f"{stem}.gpkg"
        fields = [
            np.array(
                columns[n], dtype=object if not isinstance(columns[n][0], (int, float)) else None
            )
            for n in names
        ]
        write(
            path,
            geometry=np.array(columns["geometry"], dtype=object),
            field_data=fields,
            fields=list(names),
            layer=stem,
            driver="GPKG",
            geometry_type="Polygon",
            crs="EPSG:4326",
            append=path.exists(),
        )
        self.counts[stem] += len(columns["geometry"])

    def close(self) -> dict[str, int]:
        for stem, handle in self._files.items():
            if stem in GEOJSON:
                handle.write("\n]}\n")
            handle.close()
        return dict(self.counts)
