"""The wizard's choice of a coordinate system for a file that does not say its own.

A Shapefile without .prj is read with each candidate coordinate system; those that put
rows in the municipality are offered first, each with how many rows it puts there.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy.orm as so

from inventory.office.crs_names import known_crs
from inventory.services.imports import placement, wizard
from inventory.services.imports.reading import read_table
from inventory.services.permissions import Actor


def candidates_of(db: so.Session, actor: Actor, pending: dict, path: Path) -> dict:
    """What the page shows: `candidates` ({epsg, name, inside}, the most rows first),
    the file's `rows` with a geometry, and every `known_crs` to choose from by hand."""
    place = wizard.municipality_for(db, actor, pending["municipality"])
    table = read_table(path, encoding=pending["encoding"], unknown_crs="keep")
    geoms = table.raw_geometries or table.geometries or []
    found = placement.candidates(placement.area(db, place.slug), geoms)
    return {
        "candidates": [c.as_dict() for c in found],
        "rows": sum(1 for g in geoms if g is not None and not g.is_empty),
        "known_crs": known_crs(),
    }
