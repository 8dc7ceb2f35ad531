"""Imports of land parcels and buildings."""

from __future__ import annotations

import sqlalchemy as sa

from inventory import models as m
from inventory.models import BuildingKind, ParcelStatus
from inventory.services import reference
from inventory.services.imports import values as v
from inventory.services.imports.base import Context, Field, Kind, Row
from inventory.services.imports.kinds.common import polygon_wkbs
from inventory.services.imports.kinds.places import MUNICIPALITY
from inventory.services.imports.staging import counts, stage

PARCEL_CODE = Field(
    "ident_code",
    required=True,
    synonyms=("идентификационный код", "идентификациялык код", "код", "ид код", "code"),
)


class Parcels(Kind):
    name = "parcels"
    model = m.Parcel
    fields = (
        MUNICIPALITY,
        PARCEL_CODE,
        Field("address", synonyms=("адрес", "дарек")),
        Field("land_category", synonyms=("категория земель", "жер категориясы", "категория")),
        Field("designated_use", synonyms=("целевое назначение", "максаттуу багыты", "назначение")),
        Field("status", v.choice(*[s.value for s in ParcelStatus]), synonyms=("статус",)),
        Field(
            "documented_area",
            v.parse_positive_decimal,
            synonyms=("площадь по документам", "площадь", "аянты", "документ боюнча аянты"),
        ),
        Field("note", synonyms=("примечание", "эскертүү")),
    )
    geometry = "polygon"
    key = ("ident_code",)

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        categories = reference.category_ids(ctx.session)
        uses = reference.use_ids(ctx.session)
        for row, polygon in zip(rows, polygon_wkbs(ctx, rows, required=False), strict=True):
            row.ids["municipality"] = ctx.municipality_id(row)
            row.ids["category"] = ctx.lookup(
                row, "land_category", categories, "unknown land category '%(value)s'"
            )
            row.ids["use"] = ctx.lookup(row, "designated_use", uses, "unknown land use '%(value)s'")
            row.ids["geom"], row.ids["valid"], row.ids["problem"] = polygon

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        stage(
            ctx.session,
            "stage_parcel",
            [
                ("municipality_id", "int"),
                ("ident_code", "text"),
                ("address", "text"),
                ("land_category_id", "int"),
                ("designated_use_id", "int"),
                ("status", "text"),
                ("documented_area", "numeric"),
                ("note", "text"),
                ("geom", "bytea"),
                ("geom_valid", "bool"),
                ("geom_problem", "text"),
            ],
            (
                (
                    r.ids["municipality"],
                    r["ident_code"],
                    r["address"],
                    r.ids["category"],
                    r.ids["use"],
                    r["status"] or ParcelStatus.FREE.value,
                    r["documented_area"],
                    r["note"],
                    r.ids["geom"],
                    r.ids["valid"],
                    r.ids["problem"],
                )
                for r in rows
            ),
        )
        # A valid polygon goes to geom; an invalid one is kept in geom_rejected so an
        # officer can repair it, and the anomaly engine flags it.
        result = ctx.session.execute(
            sa.text("""
            INSERT INTO parcel AS p (municipality_id, ident_code, address, land_category_id,
                                     designated_use_id, status, documented_area, note,
                                     geom, geom_rejected, geom_problem)
            SELECT municipality_id, ident_code, address, land_category_id,
                   designated_use_id, status, documented_area, note,
                   CASE WHEN geom_valid THEN ST_Multi(ST_GeomFromWKB(geom, 4326)) END,
                   CASE WHEN NOT geom_valid THEN ST_GeomFromWKB(geom, 4326) END,
                   geom_problem
              FROM stage_parcel
            ON CONFLICT (municipality_id, ident_code) DO UPDATE SET
                   address = EXCLUDED.address, land_category_id = EXCLUDED.land_category_id,
                   designated_use_id = EXCLUDED.designated_use_id, status = EXCLUDED.status,
                   documented_area = EXCLUDED.documented_area, note = EXCLUDED.note,
                   geom = EXCLUDED.geom, geom_rejected = EXCLUDED.geom_rejected,
                   geom_problem = EXCLUDED.geom_problem,
                   version = p.version + 1, updated_at = now()
             WHERE (p.address, p.land_category_id, p.designated_use_id, p.status,
                    p.documented_area, p.note, p.geom_problem)
                   IS DISTINCT FROM
                   (EXCLUDED.address, EXCLUDED.land_category_id, EXCLUDED.designated_use_id,
                    EXCLUDED.status, EXCLUDED.documented_area, EXCLUDED.note,
                    EXCLUDED.geom_problem)
                OR ST_AsBinary(p.geom) IS DISTINCT FROM ST_AsBinary(EXCLUDED.geom)
                OR ST_AsBinary(p.geom_rejected) IS DISTINCT FROM ST_AsBinary(EXCLUDED.geom_rejected)
            RETURNING (xmax = 0)""")
        )
        return counts(result, len(rows))


class Buildings(Kind):
    name = "buildings"
    model = m.Building
    fields = (
        MUNICIPALITY,
        Field(
            "inventory_number",
            required=True,
            synonyms=("инвентарный номер", "инв номер", "инвентардык номер"),
        ),
        Field("parcel_ident_code", synonyms=("код участка", "идентификационный код участка")),
        Field("kind", v.choice(*[k.value for k in BuildingKind]), synonyms=("вид",)),
        Field("name", synonyms=("наименование", "аталышы")),
        Field("address", synonyms=("адрес", "дарек")),
        Field("floor_area", v.parse_positive_decimal, synonyms=("площадь", "аянты")),
        Field("floors", v.parse_int, synonyms=("этажность", "кабаттар")),
        Field("year_built", v.parse_int, synonyms=("год постройки", "курулган жылы")),
        Field("parent_inventory_number"),
    )
    geometry = "polygon"
    key = ("inventory_number",)

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
            if row.ids["geom"] is not None and not valid:
                ctx.problem(row.number, "geometry", "a building footprint must be valid")

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        stage(
            ctx.session,
            "stage_building",
            [
                ("municipality_id", "int"),
                ("inventory_number", "text"),
                ("parcel_id", "int"),
                ("kind", "text"),
                ("name", "text"),
                ("address", "text"),
                ("floor_area", "numeric"),
                ("floors", "int"),
                ("year_built", "int"),
                ("parent_number", "text"),
                ("geom", "bytea"),
            ],
            (
                (
                    r.ids["municipality"],
                    r["inventory_number"],
                    r.ids["parcel"],
                    r["kind"] or BuildingKind.BUILDING.value,
                    r["name"],
                    r["address"],
                    r["floor_area"],
                    r["floors"],
                    r["year_built"],
                    r["parent_inventory_number"],
                    r.ids["geom"],
                )
                for r in rows
            ),
        )
        result = ctx.session.execute(
            sa.text("""
            INSERT INTO building AS b (municipality_id, inventory_number, parcel_id, kind,
                                       name, address, floor_area, floors, year_built, geom)
            SELECT municipality_id, inventory_number, parcel_id, kind, name, address,
                   floor_area, floors, year_built, ST_Multi(ST_GeomFromWKB(geom, 4326))
              FROM stage_building
            ON CONFLICT (municipality_id, inventory_number) DO UPDATE SET
                   parcel_id = EXCLUDED.parcel_id, kind = EXCLUDED.kind, name = EXCLUDED.name,
                   address = EXCLUDED.address, floor_area = EXCLUDED.floor_area,
                   floors = EXCLUDED.floors, year_built = EXCLUDED.year_built,
                   geom = EXCLUDED.geom, version = b.version + 1, updated_at = now()
             WHERE (b.parcel_id, b.kind, b.name, b.address, b.floor_area, b.floors,
                    b.year_built) IS DISTINCT FROM
                   (EXCLUDED.parcel_id, EXCLUDED.kind, EXCLUDED.name, EXCLUDED.address,
                    EXCLUDED.floor_area, EXCLUDED.floors, EXCLUDED.year_built)
                OR ST_AsBinary(b.geom) IS DISTINCT FROM ST_AsBinary(EXCLUDED.geom)
            RETURNING (xmax = 0)""")
        )
        created = counts(result, len(rows))
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
