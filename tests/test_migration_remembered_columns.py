"""Migration 0029: a remembered "—" (a field with no column) is forgotten, so the names
match that field's column on an office's next file; the rest of the mapping stays."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from inventory.database import migrate
from tests.migrations import add_osh, database_at

BEFORE = {"ident_code": "Кад. номер", "land_category": "", "note": "", "address": "Адрес"}


@pytest.mark.slow
def test_0029_forgets_remembered_empty_columns(database_url_for_tests):
    with database_at(database_url_for_tests, "0028") as (url, engine):
        with engine.begin() as conn:
            place = add_osh(conn)
            for kind, columns in (("parcels", BEFORE), ("buildings", {"address": ""})):
                conn.execute(
                    sa.text(
                        "INSERT INTO import_mapping (municipality_id, kind, columns) "
                        "VALUES (:m, :kind, CAST(:columns AS jsonb))"
                    ),
                    {"m": place, "kind": kind, "columns": json.dumps(columns)},
                )
        migrate.upgrade(url, "0029")
        with engine.connect() as conn:
            kept = dict(conn.execute(sa.text("SELECT kind, columns FROM import_mapping")).all())
        assert kept == {
            "parcels": {"ident_code": "Кад. номер", "address": "Адрес"},
            "buildings": {},
        }
