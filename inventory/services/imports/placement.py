"""Whether a file's geometries land in the municipality, and which CRS would put them there.

A Shapefile without .prj, or read with the wrong coordinate system, still gives numbers:
Kyrg-06 metres read as SK-42 land in the Gulf of Guinea, and read as degrees they cannot
be transformed at all. After reprojection every vertex must lie in the municipality's
boundary widened by `TOLERANCE_M`; when rows fall outside, each candidate coordinate
system is tried on the file's own numbers and the report names those that put rows
inside, with how many.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import format_decimal, gettext
from shapely.geometry.base import BaseGeometry

from inventory.services import geometry as geo

#: How far outside its boundary a geometry may still be (surveys, generalised borders).
TOLERANCE_M = 3000
#: The coordinate systems an office's file is usually in, tried when rows fall outside.
CANDIDATES = (4326, 3857, 7693, 7694, 28412, 28413, 32642, 32643)


@dataclass(frozen=True)
class Candidate:
    epsg: int
    name: str
    inside: int

    def as_dict(self) -> dict:
        return {"epsg": self.epsg, "name": self.name, "inside": self.inside}


def area(session: so.Session, slug: str | None) -> BaseGeometry | None:
    """The municipality's boundary widened by TOLERANCE_M (all boundaries when `slug` is
    None), in EPSG:4326; None when there is no boundary to compare with."""
    where = "slug = :slug" if slug else "TRUE"
    wkb = session.scalar(
        sa.text(
            "SELECT ST_AsBinary(ST_Union(ST_Buffer(boundary::geography, :m)::geometry)) "
            f"FROM municipality WHERE boundary IS NOT NULL AND {where}"
        ),
        {"m": TOLERANCE_M, "slug": slug},
    )
    if wkb is None:
        return None
    shape = shapely.from_wkb(bytes(wkb))
    shapely.prepare(shape)
    return shape


def _inside(shape: BaseGeometry | None, geoms: list) -> np.ndarray:
    """For each geometry: True when all its vertices are finite and in `shape` (in
    lon/lat range when `shape` is None), False otherwise; None stays None-less (True)."""
    array = np.empty(len(geoms), dtype=object)
    array[:] = list(geoms)
    coords, index = shapely.get_coordinates(array, return_index=True)
    if len(coords) == 0:
        return np.ones(len(geoms), dtype=bool)
    x, y = coords[:, 0], coords[:, 1]
    ok = np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)
    if shape is not None:
        ok[ok] = shapely.contains_xy(shape, x[ok], y[ok])
    bad = np.zeros(len(geoms), dtype=bool)
    bad[index[~ok]] = True
    return ~bad


def outside_rows(shape: BaseGeometry | None, geoms: list) -> list[int]:
    """Positions of the geometries (already in EPSG:4326) not inside `shape`."""
    present = [g is not None and not g.is_empty for g in geoms]
    inside = _inside(shape, [g if p else None for g, p in zip(geoms, present, strict=True)])
    return [i for i, (p, ok) in enumerate(zip(present, inside, strict=True)) if p and not ok]


def candidates(shape: BaseGeometry | None, raw: list) -> list[Candidate]:
    """Each candidate CRS that puts at least one of the file's own (untransformed)
    geometries inside `shape`, with how many, the most first."""
    geoms = [g for g in raw if g is not None and not g.is_empty]
    if not geoms:
        return []
    found = []
    for epsg in CANDIDATES:
        try:
            moved = [geo.reproject(g, epsg) for g in geoms]
        except Exception:  # noqa: BLE001 - a CRS that cannot take these numbers puts none inside
            continue
        count = int(_inside(shape, moved).sum())
        if count:
            found.append(Candidate(epsg, crs_name(epsg), count))
    return sorted(found, key=lambda c: -c.inside)


def crs_name(epsg: int) -> str:
    """The name a person knows a candidate by (in English: the API's and the CLI's)."""
    return geo.KNOWN_CRS.get(epsg, f"EPSG:{epsg}")


@dataclass(frozen=True)
class Listed:
    """The candidates as a problem's sentence names them: in English as a string (the
    API's `message`, the CLI), in the page's language by `localized()`, which
    Problem.localized calls; the names are those inventory/office/crs_names.py gives
    the forms (the same msgids)."""

    found: tuple[Candidate, ...]
    rows: int

    def __str__(self) -> str:
        return "; ".join(
            f"EPSG:{c.epsg} {c.name} ({c.inside} of {self.rows} rows)" for c in self.found
        )

    def localized(self) -> str:
        inside = "%(inside)s of %(rows)s rows inside"
        rows = format_decimal(self.rows)
        return "; ".join(
            f"EPSG:{c.epsg} {gettext(c.name)} "
            f"({gettext(inside, inside=format_decimal(c.inside), rows=rows)})"
            for c in self.found
        )


def _listed(found: list[Candidate], rows: int) -> Listed:
    return Listed(tuple(found), rows)


def check_table(ctx, table) -> None:
    """Report the rows of `table` (an import's, reprojected) that do not lie in the
    import's municipality; when the coordinate system is unknown or another one fits
    better, one problem of the whole file naming the candidates, which also go to the
    report (`crs_candidates`) for the wizard and the API to offer."""
    if table.geometries is None:
        return
    shape = area(ctx.session, ctx.municipality_slug)
    rows = sum(1 for g in table.geometries if g is not None and not g.is_empty)
    file = ctx.report.source
    if table.crs_unknown:
        found = candidates(shape, table.raw_geometries or table.geometries)
        ctx.report.crs_candidates = [c.as_dict() for c in found]
        if found:
            ctx.problem(
                None,
                "crs",
                "%(file)s: the coordinate system is unknown (no .prj); choose the one "
                "that puts the rows in the municipality: %(candidates)s",
                file=file,
                candidates=_listed(found, rows),
            )
        else:
            ctx.problem(
                None,
                "crs",
                "%(file)s: the coordinate system is unknown (no .prj), and none of "
                "%(choices)s puts the rows in the municipality",
                file=file,
                choices=", ".join(f"EPSG:{epsg}" for epsg in CANDIDATES),
            )
        return
    outside = outside_rows(shape, table.geometries)
    if not outside:
        return
    found = candidates(shape, table.raw_geometries or table.geometries)
    better = [c for c in found if c.inside > rows - len(outside)]
    if better:
        ctx.report.crs_candidates = [c.as_dict() for c in found]
        ctx.problem(
            None,
            "crs",
            "%(file)s: read as %(crs)s, %(outside)s of %(rows)s rows lie outside the "
            "municipality; the coordinate system that puts them inside: %(candidates)s",
            file=file,
            crs=_epsg(table.source_crs),
            outside=len(outside),
            rows=rows,
            candidates=_listed(better, rows),
        )
        return
    for i in outside:
        ctx.problem(
            i + 1,
            "geometry",
            "lies outside the municipality (more than %(km)s km from its boundary), or "
            "its coordinates cannot be transformed",
            km=TOLERANCE_M // 1000,
        )


def _epsg(crs) -> str:
    text = str(crs or 4326)
    return f"EPSG:{text}" if text.isdecimal() else text
