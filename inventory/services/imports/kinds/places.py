"""Imports of what belongs to a municipality as a whole: the municipality itself,
economic-planning zones, base rates and protected layers."""

from __future__ import annotations

import sqlalchemy as sa

from inventory import models as m
from inventory.services import reference
from inventory.services.imports import values as v
from inventory.services.imports.base import Context, Field, Kind, Row
from inventory.services.imports.kinds.common import polygon_wkbs
from inventory.services.imports.staging import counts, stage

MUNICIPALITY = Field("municipality", synonyms=("муниципалитет", "город", "шаар"))


class Municipalities(Kind):
    name = "municipalities"
    model = m.Municipality
    fields = (
        Field("slug", required=True),
        Field("name_ky", required=True),
        Field("name_ru", required=True),
        Field("name_en", required=True),
        Field("measure_srid", v.parse_int),
        Field("code_pattern"),
    )
    geometry = "polygon"
    key = ("slug",)

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        for row, polygon in zip(rows, polygon_wkbs(ctx, rows, required=False), strict=True):
            row.ids["geom"], valid, _ = polygon
            if not valid:
                ctx.problem(row.number, "geometry", "a municipality boundary must be valid")

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        stage(
            ctx.session,
            "stage_municipality",
            [
                ("slug", "text"),
                ("name_ky", "text"),
                ("name_ru", "text"),
                ("name_en", "text"),
                ("measure_srid", "int"),
                ("code_pattern", "text"),
                ("geom", "bytea"),
            ],
            (
                (
                    r["slug"],
                    r["name_ky"],
                    r["name_ru"],
                    r["name_en"],
                    r["measure_srid"],
                    r["code_pattern"],
                    r.ids["geom"],
                )
                for r in rows
            ),
        )
        result = ctx.session.execute(
            sa.text("""
            INSERT INTO municipality AS m (slug, name_ky, name_ru, name_en, measure_srid,
                                           code_pattern, boundary)
            SELECT slug, name_ky, name_ru, name_en, coalesce(measure_srid, 7693),
                   coalesce(code_pattern, '^\\d+(-\\d+)+$'),
                   ST_Multi(ST_GeomFromWKB(geom, 4326))
              FROM stage_municipality
            ON CONFLICT (slug) DO UPDATE SET
                   name_ky = EXCLUDED.name_ky, name_ru = EXCLUDED.name_ru,
                   name_en = EXCLUDED.name_en, measure_srid = EXCLUDED.measure_srid,
                   code_pattern = EXCLUDED.code_pattern, boundary = EXCLUDED.boundary,
                   updated_at = now()
             WHERE (m.name_ky, m.name_ru, m.name_en, m.measure_srid, m.code_pattern)
                   IS DISTINCT FROM (EXCLUDED.name_ky, EXCLUDED.name_ru, EXCLUDED.name_en,
                                     EXCLUDED.measure_srid, EXCLUDED.code_pattern)
                OR NOT ST_Equals(m.boundary, EXCLUDED.boundary)
            RETURNING (xmax = 0)""")
        )
        return counts(result, len(rows))


class Zones(Kind):
    name = "zones"
    model = m.EconomicZone
    fields = (
        MUNICIPALITY,
        Field("code", required=True, synonyms=("зона", "номер зоны")),
        Field("name"),
        Field("kz", v.parse_positive_decimal, required=True),
        Field("valid_from", v.parse_date, required=True),
        Field("valid_to", v.parse_date),
    )
    geometry = "polygon"
    key = ("code", "valid_from")

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        for row, polygon in zip(rows, polygon_wkbs(ctx, rows, required=True), strict=True):
            row.ids["municipality"] = ctx.municipality_id(row)
            row.ids["geom"], valid, _ = polygon
            if row.ids["geom"] is not None and not valid:
                ctx.problem(row.number, "geometry", "a zone polygon must be valid")

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        stage(
            ctx.session,
            "stage_zone",
            [
                ("municipality_id", "int"),
                ("code", "text"),
                ("name", "text"),
                ("kz", "numeric"),
                ("valid_from", "date"),
                ("valid_to", "date"),
                ("geom", "bytea"),
            ],
            (
                (
                    r.ids["municipality"],
                    r["code"],
                    r["name"] or r["code"],
                    r["kz"],
                    r["valid_from"],
                    r["valid_to"],
                    r.ids["geom"],
                )
                for r in rows
            ),
        )
        result = ctx.session.execute(
            sa.text("""
            INSERT INTO economic_zone AS z (municipality_id, code, name, kz, valid_from,
                                            valid_to, geom)
            SELECT municipality_id, code, name, kz, valid_from, valid_to,
                   ST_Multi(ST_GeomFromWKB(geom, 4326))
              FROM stage_zone
            ON CONFLICT (municipality_id, code, valid_from) DO UPDATE SET
                   name = EXCLUDED.name, kz = EXCLUDED.kz, valid_to = EXCLUDED.valid_to,
                   geom = EXCLUDED.geom, updated_at = now()
             WHERE (z.name, z.kz, z.valid_to) IS DISTINCT FROM
                   (EXCLUDED.name, EXCLUDED.kz, EXCLUDED.valid_to)
                OR NOT ST_Equals(z.geom, EXCLUDED.geom)
            RETURNING (xmax = 0)""")
        )
        return counts(result, len(rows))


class BaseRates(Kind):
    name = "base_rates"
    model = m.BaseRate
    fields = (
        MUNICIPALITY,
        Field("land_category", required=True, synonyms=("категория земель",)),
        Field("rate", v.parse_positive_decimal, required=True, synonyms=("ставка",)),
        Field("valid_from", v.parse_date, required=True),
    )
    key = ("land_category", "valid_from")

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        categories = reference.category_ids(ctx.session)
        for row in rows:
            row.ids["municipality"] = ctx.municipality_id(row)
            row.ids["category"] = ctx.lookup(
                row, "land_category", categories, "unknown land category '%(value)s'"
            )

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        stage(
            ctx.session,
            "stage_base_rate",
            [
                ("municipality_id", "int"),
                ("land_category_id", "int"),
                ("rate", "numeric"),
                ("valid_from", "date"),
            ],
            ((r.ids["municipality"], r.ids["category"], r["rate"], r["valid_from"]) for r in rows),
        )
        result = ctx.session.execute(
            sa.text("""
            INSERT INTO base_rate AS b (municipality_id, land_category_id, rate, valid_from)
            SELECT municipality_id, land_category_id, rate, valid_from FROM stage_base_rate
            ON CONFLICT (municipality_id, land_category_id, valid_from) DO UPDATE SET
                   rate = EXCLUDED.rate, updated_at = now()
             WHERE b.rate IS DISTINCT FROM EXCLUDED.rate
            RETURNING (xmax = 0)""")
        )
        return counts(result, len(rows))


class ProtectedAreas(Kind):
    name = "protected_areas"
    model = m.ProtectedArea
    fields = (
        MUNICIPALITY,
        Field("kind", v.choice("green_zone", "water_protection", "red_line"), required=True),
        Field("name", required=True),
    )
    geometry = "polygon"
    key = ("kind", "name")

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        for row, polygon in zip(rows, polygon_wkbs(ctx, rows, required=True), strict=True):
            row.ids["municipality"] = ctx.municipality_id(row)
            row.ids["geom"], valid, _ = polygon
            if row.ids["geom"] is not None and not valid:
                ctx.problem(row.number, "geometry", "a protected area polygon must be valid")

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        stage(
            ctx.session,
            "stage_protected",
            [("municipality_id", "int"), ("kind", "text"), ("name", "text"), ("geom", "bytea")],
            ((r.ids["municipality"], r["kind"], r["name"], r.ids["geom"]) for r in rows),
        )
        result = ctx.session.execute(
            sa.text("""
            INSERT INTO protected_area AS p (municipality_id, kind, name, geom)
            SELECT municipality_id, kind, name, ST_Multi(ST_GeomFromWKB(geom, 4326))
              FROM stage_protected
            ON CONFLICT (municipality_id, kind, name) DO UPDATE SET
                   geom = EXCLUDED.geom, updated_at = now()
             WHERE NOT ST_Equals(p.geom, EXCLUDED.geom)
            RETURNING (xmax = 0)""")
        )
        return counts(result, len(rows))
