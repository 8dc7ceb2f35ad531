"""Imports of lessees and lease contracts (with their objects).

A contract register imports as an office keeps it: the lessee by name and ИНН
(register_lessees), objects by a parcel's identification code or a building's
inventory number, the status from the dates when the register has none."""

from __future__ import annotations

import re

import sqlalchemy as sa

from inventory import models as m
from inventory.models import ContractStatus, LesseeKind
from inventory.services import reference, schedule
from inventory.services.imports import values as v
from inventory.services.imports.base import Context, Kind, Row
from inventory.services.imports.kinds.common import described_fields
from inventory.services.imports.kinds.contract_terms import (
    fill_status_and_period,
    find_objects,
)
from inventory.services.imports.kinds.places import MUNICIPALITY
from inventory.services.imports.kinds.register_lessees import (
    create_lessees,
    entrepreneur_inn,
    resolve_lessees,
)
from inventory.services.imports.staging import stage
from inventory.services.imports.upsert import Column, plain_columns, upsert
from inventory.services.records.contracts import may_change


class Lessees(Kind):
    name = "lessees"
    model = m.Lessee
    columns = {"key": "external_key"}
    fields = (MUNICIPALITY, *described_fields("lessees", {"inn": v.parse_inn}))
    key = ("key",)

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        seen_inn: dict[tuple, int] = {}
        for row in rows:
            row.ids["municipality"] = ctx.municipality_id(row)
            if row["kind"] == LesseeKind.LEGAL_ENTITY and row["inn"] is None:
                ctx.problem(row.number, "inn", "a legal entity needs its ИНН")
            if row["kind"] == LesseeKind.INDIVIDUAL_ENTREPRENEUR and not entrepreneur_inn(
                row["inn"]
            ):
                ctx.problem(
                    row.number,
                    "inn",
                    "ИНН %(inn)s is a company's; an individual entrepreneur has a personal ИНН "
                    "(14 digits, 1 or 2 first)",
                    inn=row["inn"],
                )
            if row["inn"] is not None:
                key = (row.ids["municipality"], row["inn"])
                if key in seen_inn:
                    ctx.problem(
                        row.number,
                        "inn",
                        "ИНН %(inn)s appears again (first in row %(first)s)",
                        inn=row["inn"],
                        first=seen_inn[key],
                    )
                seen_inn.setdefault(key, row.number)

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        return upsert(
            ctx,
            rows,
            table="lessee",
            conflict="(municipality_id, external_key)",
            columns=[
                Column("municipality_id", "int", lambda r: r.ids["municipality"], update=False),
                *plain_columns("lessees", keys=("external_key",)),
            ],
        )


def parse_objects(value) -> list[tuple[str | None, str]]:
    """'5-08-01-0001-0123; ОШ-Б-0012' or 'parcel:5-08-01-0001-0123, building:ОШ-Б-0012'
    -> [(kind, or None when the file does not say, key), ...]."""
    found: list[tuple[str | None, str]] = []
    for part in re.split(r"[;,\n]", str(value)):
        part = part.strip()
        if not part:
            continue
        kind, sep, key = part.partition(":")
        kind = kind.strip().lower()
        if sep and kind in {"parcel", "building"}:
            if not key.strip():
                raise v.BadValue("'%(part)s' names no parcel code or building number", part=part)
            found.append((kind, key.strip()))
        else:
            found.append((None, part))
    return found


class Contracts(Kind):
    name = "contracts"
    model = m.LeaseContract
    fields = (
        MUNICIPALITY,
        *described_fields("contracts", {"objects": parse_objects, "lessee_inn": v.parse_inn}),
    )
    key = ("number",)

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        s = ctx.session
        lessees = {
            (m, k): i
            for i, m, k in s.execute(
                sa.text("SELECT id, municipality_id, external_key FROM lessee")
            )
        }
        parcels = {
            (m, c): i
            for i, m, c in s.execute(sa.text("SELECT id, municipality_id, ident_code FROM parcel"))
        }
        buildings = {
            (m, c): i
            for i, m, c in s.execute(
                sa.text("SELECT id, municipality_id, inventory_number FROM building")
            )
        }
        uses = reference.use_ids(s)
        numbers_in_file = {(r["municipality"] or ctx.municipality_slug, r["number"]) for r in rows}
        stored = {
            (m, n): status
            for m, n, status in s.execute(
                sa.text(
                    "SELECT m.slug, c.number, c.status::text FROM lease_contract c "
                    "JOIN municipality m ON m.id = c.municipality_id"
                )
            )
        }
        existing = set(stored)
        for row in rows:
            row.ids["municipality"] = ctx.municipality_id(row)
        resolve_lessees(ctx, rows, lessees)
        fill_status_and_period(ctx, rows)
        for row in rows:
            row.ids["use"] = ctx.lookup(row, "contracted_use", uses, "unknown land use '%(value)s'")
            if row["start_date"] and row["end_date"] and row["end_date"] <= row["start_date"]:
                ctx.problem(
                    row.number,
                    "end_date",
                    "%(end)s is not after the start %(start)s",
                    end=f"{row['end_date']:%d.%m.%Y}",
                    start=f"{row['start_date']:%d.%m.%Y}",
                )
            if row["status"] == ContractStatus.TERMINATED and row["terminated_on"] is None:
                ctx.problem(row.number, "terminated_on", "a terminated contract needs the date")
            if (row["previous_number"] is None) != (row["relation"] is None):
                ctx.problem(
                    row.number,
                    "relation",
                    "give both the previous contract and the relation, or neither",
                )
            slug = row["municipality"] or ctx.municipality_slug
            if row["previous_number"] and (slug, row["previous_number"]) not in (
                numbers_in_file | existing
            ):
                ctx.problem(
                    row.number,
                    "previous_number",
                    "no contract '%(value)s'",
                    value=row["previous_number"],
                )
            row.ids["objects"] = find_objects(ctx, row, parcels, buildings)
            # A contract already kept changes status only as an edit may (the API's rule):
            # a file cannot bring a terminated contract back to life.
            old = stored.get((slug, row["number"]))
            if old and row["status"] and not may_change(old, row["status"]):
                ctx.problem(
                    row.number,
                    "status",
                    "a contract cannot go from %(old)s to %(new)s",
                    old=old,
                    new=row["status"],
                )

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        s = ctx.session
        create_lessees(ctx, rows)
        created = upsert(
            ctx,
            rows,
            table="lease_contract",
            conflict="(municipality_id, number)",
            columns=[
                Column("municipality_id", "int", lambda r: r.ids["municipality"], update=False),
                # The relation is written with the link to the previous contract below.
                *plain_columns(
                    "contracts",
                    exclude=("relation", "lessee_name", "lessee_inn"),
                    keys=("number",),
                ),
                Column("lessee_id", "int", lambda r: r.ids["lessee"]),
                Column("contracted_use_id", "int", lambda r: r.ids["use"]),
                Column("previous_number", "text", lambda r: r["previous_number"], insert=False),
                Column("relation", "text", lambda r: r["relation"], insert=False),
            ],
        )
        # Links to amended or renewed contracts may point forward within the file.
        s.execute(
            sa.text("""
            UPDATE lease_contract c SET previous_id = prev.id, relation = st.relation
              FROM stage_lease_contract st
              JOIN lease_contract prev ON prev.municipality_id = st.municipality_id
                                      AND prev.number = st.previous_number
             WHERE c.municipality_id = st.municipality_id AND c.number = st.number
               AND (c.previous_id, c.relation) IS DISTINCT FROM (prev.id, st.relation)""")
        )
        self._write_objects(ctx, rows)
        ids = s.execute(
            sa.text("""
            SELECT c.id FROM lease_contract c JOIN stage_lease_contract st
              ON st.municipality_id = c.municipality_id AND st.number = c.number""")
        ).scalars()
        schedule.rebuild(s, list(ids))
        return created

    def _write_objects(self, ctx: Context, rows: list[Row]) -> None:
        s = ctx.session
        stage(
            s,
            "stage_contract_object",
            [
                ("municipality_id", "int"),
                ("number", "text"),
                ("parcel_id", "int"),
                ("building_id", "int"),
                ("leased_area", "numeric"),
            ],
            (
                (
                    r.ids["municipality"],
                    r["number"],
                    oid if kind == "parcel" else None,
                    oid if kind == "building" else None,
                    r["leased_area"] if len(r.ids["objects"]) == 1 else None,
                )
                for r in rows
                for kind, oid in r.ids["objects"]
            ),
        )
        # The file is the truth for the contracts it lists: objects it no longer names
        # are removed, new ones added, unchanged ones left alone (no history noise).
        s.execute(
            sa.text("""
            DELETE FROM contract_object co
             USING lease_contract c, stage_lease_contract st
             WHERE co.contract_id = c.id AND st.municipality_id = c.municipality_id
               AND st.number = c.number
               AND NOT EXISTS (SELECT 1 FROM stage_contract_object so
                                WHERE so.municipality_id = c.municipality_id
                                  AND so.number = c.number
                                  AND so.parcel_id IS NOT DISTINCT FROM co.parcel_id
                                  AND so.building_id IS NOT DISTINCT FROM co.building_id)""")
        )
        s.execute(
            sa.text("""
            INSERT INTO contract_object (contract_id, parcel_id, building_id, leased_area)
            SELECT c.id, so.parcel_id, so.building_id, so.leased_area
              FROM stage_contract_object so
              JOIN lease_contract c ON c.municipality_id = so.municipality_id
                                   AND c.number = so.number
            ON CONFLICT ON CONSTRAINT uq_contract_object DO UPDATE
               SET leased_area = EXCLUDED.leased_area
             WHERE contract_object.leased_area IS DISTINCT FROM EXCLUDED.leased_area""")
        )
