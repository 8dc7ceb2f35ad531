"""Imports of inspections (what inspectors saw on parcels)."""

from __future__ import annotations

import sqlalchemy as sa

from inventory import models as m
from inventory.services import reference
from inventory.services.imports.base import Context, Kind, Row
from inventory.services.imports.kinds.common import described_fields, point_wkb
from inventory.services.imports.kinds.places import MUNICIPALITY
from inventory.services.imports.upsert import GEOMETRY_DIFFERS, Column, plain_columns, upsert


class Inspections(Kind):
    name = "inspections"
    model = m.Inspection
    fields = (MUNICIPALITY, *described_fields("inspections"))
    geometry = "point"
    placed = True  # positions must lie in the municipality (imports.placement)
    key = ("parcel_ident_code", "inspected_on", "inspector")

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        parcels = {
            (m, c): i
            for i, m, c in ctx.session.execute(
                sa.text("SELECT id, municipality_id, ident_code FROM parcel")
            )
        }
        uses = reference.use_ids(ctx.session)
        for row in rows:
            row.ids["municipality"] = municipality = ctx.municipality_id(row)
            row.ids["parcel"] = None
            if row["parcel_ident_code"] is not None and municipality is not None:
                row.ids["parcel"] = parcels.get((municipality, row["parcel_ident_code"]))
                if row.ids["parcel"] is None:
                    ctx.problem(
                        row.number,
                        "parcel_ident_code",
                        "no parcel '%(value)s'",
                        value=row["parcel_ident_code"],
                    )
            row.ids["use"] = ctx.lookup(row, "observed_use", uses, "unknown land use '%(value)s'")
            row.ids["position"] = point_wkb(ctx, row)

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        return upsert(
            ctx,
            rows,
            table="inspection",
            conflict="(coalesce(parcel_id, 0), coalesce(building_id, 0), inspected_on, inspector)",
            columns=[
                Column("municipality_id", "int", lambda r: r.ids["municipality"], update=False),
                Column("parcel_id", "int", lambda r: r.ids["parcel"], update=False),
                *plain_columns("inspections", keys=("inspected_on", "inspector")),
                Column("observed_use_id", "int", lambda r: r.ids["use"]),
                Column("position_wkb", "bytea", lambda r: r.ids["position"], insert=False),
                Column(
                    "position",
                    staged=False,
                    select="ST_GeomFromWKB(position_wkb, 4326)",
                    compare=GEOMETRY_DIFFERS,
                ),
            ],
        )
