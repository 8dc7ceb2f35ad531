"""Imports of inspections (what inspectors saw on parcels)."""

from __future__ import annotations

import sqlalchemy as sa

from inventory import models as m
from inventory.services import reference
from inventory.services.imports import values as v
from inventory.services.imports.base import Context, Field, Kind, Row
from inventory.services.imports.kinds.common import point_wkb
from inventory.services.imports.kinds.places import MUNICIPALITY
from inventory.services.imports.staging import counts, stage


class Inspections(Kind):
    name = "inspections"
    model = m.Inspection
    fields = (
        MUNICIPALITY,
        Field(
            "parcel_ident_code", required=True, synonyms=("код участка", "идентификационный код")
        ),
        Field(
            "inspected_on",
            v.parse_date,
            required=True,
            synonyms=("дата обследования", "текшерүү күнү"),
        ),
        Field("inspector", required=True, synonyms=("инспектор", "текшерүүчү")),
        Field("observed_use", synonyms=("фактическое использование", "иш жүзүндө колдонуу")),
        Field("occupied", v.parse_bool, synonyms=("занят", "ээленген")),
        Field("note", synonyms=("примечание", "эскертүү")),
    )
    geometry = "point"
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
        stage(
            ctx.session,
            "stage_inspection",
            [
                ("municipality_id", "int"),
                ("parcel_id", "int"),
                ("inspected_on", "date"),
                ("inspector", "text"),
                ("observed_use_id", "int"),
                ("occupied", "bool"),
                ("note", "text"),
                ("position", "bytea"),
            ],
            (
                (
                    r.ids["municipality"],
                    r.ids["parcel"],
                    r["inspected_on"],
                    r["inspector"],
                    r.ids["use"],
                    bool(r["occupied"]),
                    r["note"],
                    r.ids["position"],
                )
                for r in rows
            ),
        )
        result = ctx.session.execute(
            sa.text("""
            INSERT INTO inspection AS i (municipality_id, parcel_id, inspected_on, inspector,
                                         observed_use_id, occupied, note, position)
            SELECT municipality_id, parcel_id, inspected_on, inspector, observed_use_id,
                   occupied, note, ST_GeomFromWKB(position, 4326)
              FROM stage_inspection
            ON CONFLICT (coalesce(parcel_id, 0), coalesce(building_id, 0), inspected_on,
                         inspector) DO UPDATE SET
                   observed_use_id = EXCLUDED.observed_use_id, occupied = EXCLUDED.occupied,
                   note = EXCLUDED.note, position = EXCLUDED.position,
                   version = i.version + 1, updated_at = now()
             WHERE (i.observed_use_id, i.occupied, i.note) IS DISTINCT FROM
                   (EXCLUDED.observed_use_id, EXCLUDED.occupied, EXCLUDED.note)
            RETURNING (xmax = 0)""")
        )
        return counts(result, len(rows))
