"""Imports of land parcels and buildings."""

from __future__ import annotations

import sqlalchemy as sa

from inventory import models as m
from inventory.services import reference
from inventory.services.imports.base import Context, Kind, Row
from inventory.services.imports.kinds.common import (
    check_inside,
    described_fields,
    mark_covered,
    polygon_wkbs,
)
from inventory.services.imports.kinds.places import MUNICIPALITY
from inventory.services.imports.upsert import GEOMETRY_DIFFERS, Column, plain_columns, upsert
from inventory.services.records import codes

#: The parcel's polygon after an import: the file's when valid, else the stored one.
_KEEP_GEOM = "coalesce(EXCLUDED.geom, t.geom)"


def _aside(column: str) -> str:
    """A rejected polygon (or its problem) after an import: the file's when the file has
    a polygon for the row, valid or not; else the stored one."""
    return (
        f"(CASE WHEN EXCLUDED.geom IS NULL AND EXCLUDED.geom_rejected IS NULL "
        f"THEN t.{column} ELSE EXCLUDED.{column} END)"
    )


class Parcels(Kind):
    name = "parcels"
    model = m.Parcel
    fields = (MUNICIPALITY, *described_fields("parcels"))
    geometry = "polygon"
    key = ("ident_code",)

    placed = True  # every polygon must lie in the municipality (imports.placement)
    # A parcel row refers to nothing later in its file: a large file is written in
    # chunks, each while the next is checked (imports.chunks).
    chunk_rows = 10_000

    def preload(self, ctx: Context) -> None:
        ctx.municipalities  # noqa: B018 (read now, while the session is free)
        ctx.memo("categories", reference.category_ids)
        ctx.memo("uses", reference.use_ids)

    def prepare(self, ctx: Context, rows: list[Row]) -> None:
        categories = ctx.memo("categories", reference.category_ids)
        uses = ctx.memo("uses", reference.use_ids)
        for row, polygon in zip(rows, polygon_wkbs(ctx, rows, required=False), strict=True):
            row.ids["municipality"] = ctx.municipality_id(row)
            row.ids["category"] = ctx.lookup(
                row, "land_category", categories, "unknown land category '%(value)s'"
            )
            row.ids["use"] = ctx.lookup(row, "designated_use", uses, "unknown land use '%(value)s'")
            row.ids["geom"], row.ids["valid"], row.ids["problem"] = polygon
        mark_covered(ctx, rows)  # in GEOS, by the boundaries already read

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        check_inside(ctx, rows)  # the API's boundary rule, row by row
        keys = [(row.ids["municipality"], row["ident_code"]) for row in rows]
        # The same check and message as the office form and the API (records.codes): a
        # code off the municipality's pattern is refused, the whole file with it. Only
        # the demo's planted register errors are kept, as warnings, for the audit rule
        # (dq_bad_code) to find (`Context.keep_malformed_codes`).
        bad = codes.bad_codes(ctx.session, keys)
        severity = "warning" if ctx.keep_malformed_codes else "error"
        for row, key in zip(rows, keys, strict=True):
            if key in bad:
                ctx.problem(row.number, "ident_code", codes.MESSAGE, severity, example=bad[key])
        self._keep_stored_polygons(ctx, rows, keys)

    def _keep_stored_polygons(self, ctx: Context, rows: list[Row], keys: list[tuple]) -> None:
        """Warn of each row whose invalid polygon will not replace the parcel's valid
        stored one (the upsert keeps it; the file's goes to geom_rejected)."""
        rejected = [(r, k) for r, k in zip(rows, keys, strict=True) if r.ids["problem"]]
        if not rejected:
            return
        stored = set(
            ctx.session.execute(
                sa.text(
                    "SELECT municipality_id, ident_code FROM parcel p JOIN unnest("
                    "CAST(:ms AS int[]), CAST(:cs AS text[])) AS k(m, c) "
                    "ON p.municipality_id = k.m AND p.ident_code = k.c WHERE p.geom IS NOT NULL"
                ),
                {"ms": [k[0] for _, k in rejected], "cs": [k[1] for _, k in rejected]},
            ).all()
        )
        for row, key in rejected:
            if key in stored:
                ctx.problem(
                    row.number,
                    "geometry",
                    "parcel %(code)s keeps its stored valid polygon; the file's invalid "
                    "one is kept aside for repair",
                    "warning",
                    code=key[1],
                )

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        # A valid polygon goes to geom; an invalid one is kept in geom_rejected so an
        # officer can repair it, and the anomaly engine flags it.
        return upsert(
            ctx,
            rows,
            table="parcel",
            conflict="(municipality_id, ident_code)",
            columns=[
                Column("municipality_id", "int", lambda r: r.ids["municipality"], update=False),
                *plain_columns("parcels", keys=("ident_code",)),
                Column("land_category_id", "int", lambda r: r.ids["category"]),
                Column("designated_use_id", "int", lambda r: r.ids["use"]),
                Column("geom_wkb", "bytea", lambda r: r.ids["geom"], insert=False),
                Column("geom_valid", "bool", lambda r: r.ids["valid"], insert=False),
                # A stored polygon is never replaced by a missing or invalid one: the
                # file's invalid polygon goes aside (geom_rejected), the stored one stays.
                Column(
                    "geom",
                    staged=False,
                    select="CASE WHEN geom_valid THEN ST_Multi(ST_GeomFromWKB(geom_wkb, 4326)) END",
                    assign=_KEEP_GEOM,
                    compare=f"ST_AsBinary(t.geom) IS DISTINCT FROM ST_AsBinary({_KEEP_GEOM})",
                ),
                Column(
                    "geom_rejected",
                    staged=False,
                    select="CASE WHEN NOT geom_valid THEN ST_GeomFromWKB(geom_wkb, 4326) END",
                    assign=_aside("geom_rejected"),
                    compare="ST_AsBinary(t.geom_rejected) IS DISTINCT FROM "
                    f"ST_AsBinary({_aside('geom_rejected')})",
                ),
                Column(
                    "geom_problem",
                    "text",
                    lambda r: r.ids["problem"],
                    assign=_aside("geom_problem"),
                    compare=f"t.geom_problem IS DISTINCT FROM {_aside('geom_problem')}",
                ),
            ],
        )


class Buildings(Kind):
    name = "buildings"
    model = m.Building
    fields = (MUNICIPALITY, *described_fields("buildings"))
    geometry = "polygon"
    key = ("inventory_number",)
    placed = True

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        parcels = {
            (m, c): i
            for i, m, c in ctx.session.execute(
                sa.text("SELECT id, municipality_id, ident_code FROM parcel")
            )
        }
        for row, polygon in zip(rows, polygon_wkbs(ctx, rows, required=False), strict=True):
            row.ids["municipality"] = municipality = ctx.municipality_id(row)
            row.ids["parcel"] = None
            code = row["parcel_ident_code"]
            if code is not None and municipality is not None:
                row.ids["parcel"] = parcels.get((municipality, code))
                if row.ids["parcel"] is None:
                    ctx.problem(
                        row.number, "parcel_ident_code", "no parcel '%(value)s'", value=code
                    )
            row.ids["geom"], valid, _ = polygon
            row.ids["valid"] = valid
            if row.ids["geom"] is not None and not valid:
                ctx.problem(row.number, "geometry", "a building footprint must be valid")
        check_inside(ctx, rows)  # the API's boundary rule, row by row

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        created = upsert(
            ctx,
            rows,
            table="building",
            conflict="(municipality_id, inventory_number)",
            columns=[
                Column("municipality_id", "int", lambda r: r.ids["municipality"], update=False),
                *plain_columns("buildings", keys=("inventory_number",)),
                Column("parcel_id", "int", lambda r: r.ids["parcel"]),
                Column(
                    "parent_number", "text", lambda r: r["parent_inventory_number"], insert=False
                ),
                Column("geom_wkb", "bytea", lambda r: r.ids["geom"], insert=False),
                Column(
                    "geom",
                    staged=False,
                    select="ST_Multi(ST_GeomFromWKB(geom_wkb, 4326))",
                    compare=GEOMETRY_DIFFERS,
                ),
            ],
        )
        # Premises point at the building they are in, possibly from the same file.
        ctx.session.execute(
            sa.text("""
            UPDATE building b SET parent_id = parent.id
              FROM stage_building s
              JOIN building parent ON parent.municipality_id = s.municipality_id
                                  AND parent.inventory_number = s.parent_number
             WHERE b.municipality_id = s.municipality_id
               AND b.inventory_number = s.inventory_number
               AND b.parent_id IS DISTINCT FROM parent.id""")
        )
        return created
