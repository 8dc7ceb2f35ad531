"""history triggers render geometry without a coordinate-system lookup per value

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 18:00:00

The history keeps each row as jsonb, a geometry as GeoJSON with its "crs". `to_jsonb`
of a row reaches PostGIS's geometry-to-jsonb cast through a function call made afresh
for every value, so PostGIS looked the SRID up in spatial_ref_sys (through SPI) once per
geometry: about 14 microseconds each, two geometries per parcel (the outline and its
surface point). Importing 100,000 parcels spent 4.0 of its 10.4 s in the history trigger,
3.3 s of it in those lookups; `ST_AsGeoJSON(g, 15, 2)` (the cast's 15 digits and short
CRS) makes the same text and keeps the lookup for the whole statement.

The tables with geometry get history trigger functions of their own that render a row
column by column, each geometry through ST_AsGeoJSON; they read the table's columns
from the catalog each time they run, so a column added later is recorded without
touching them. What is recorded is byte for byte the same (tests/test_history_rendering.py
compares the two on every audited table). The other tables keep the functions they had:
they have no geometry to render, and reading the catalog would cost an officer's
one-row edit a third of a millisecond for nothing.
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

RENDERER = r"""
CREATE FUNCTION inventory_history_json(tbl regclass, alias text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  parts text[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute
                  WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped
                    AND atttypid = 'geometry'::regtype) THEN
    RETURN format('to_jsonb(%I)', alias);
  END IF;
  -- jsonb_build_object takes at most 100 arguments: 40 columns a call, joined by ||.
  SELECT array_agg(format('jsonb_build_object(%s)', pairs) ORDER BY chunk) INTO parts
    FROM (SELECT (attnum - 1) / 40 AS chunk,
                 string_agg(format('%L, %s', attname,
                   CASE WHEN atttypid = 'geometry'::regtype
                        THEN format('ST_AsGeoJSON(%I.%I, 15, 2)::jsonb', alias, attname)
                        ELSE format('%I.%I', alias, attname) END), ', ' ORDER BY attnum)
                   AS pairs
            FROM pg_attribute
           WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped
           GROUP BY 1) c;
  RETURN array_to_string(parts, ' || ');
END
$$;
"""

#: The audited tables with geometry columns (those of 0001 with a geometry column).
GEOMETRY_TABLES = ("municipality", "economic_zone", "protected_area", "parcel", "building",
                   "inspection", "inspection_photo", "citizen_report")
_EVENTS = {"insert": "REFERENCING NEW TABLE AS new_rows",
           "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
           "delete": "REFERENCING OLD TABLE AS old_rows"}

_HEADER = """INSERT INTO change_record (table_name, record_id, action, changed_by_id, source,
                           transaction_id, before, after)
SELECT $1, {id}, '{action}',
       NULLIF(current_setting('inventory.user_id', true), '')::int,
       NULLIF(current_setting('inventory.source', true), ''),
       txid_current(), """
# %1$s is the rendering of the new row (alias n), %2$s of the old one (alias o).
_STATEMENTS = {
    "insert": (_HEADER.format(id="n.id", action="insert") + "NULL, %1$s FROM new_rows n",
               ("n",)),
    "delete": (_HEADER.format(id="o.id", action="delete") + "%1$s, NULL FROM old_rows o",
               ("o",)),
    "update": (_HEADER.format(id="r.id", action="update") + """r.before, r.after
  FROM (SELECT n.id, %2$s AS before, %1$s AS after
          FROM new_rows n JOIN old_rows o ON o.id = n.id) r
 WHERE r.before IS DISTINCT FROM r.after""", ("n", "o")),
}


def _geo_functions() -> str:
    """inventory_history_geo_{insert,update,delete}: rows rendered by
    inventory_history_json, the statement run through EXECUTE."""
    out = []
    for event, (statement, aliases) in _STATEMENTS.items():
        renders = ", ".join(f"inventory_history_json(TG_RELID, '{a}')" for a in aliases)
        out.append(
            f"CREATE FUNCTION inventory_history_geo_{event}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  EXECUTE format($statement${statement}$statement$, {renders})\n"
            "    USING TG_TABLE_NAME;\n"
            "  RETURN NULL;\n"
            "END\n$$;")
    return "\n".join(out)


def _point_triggers(function_prefix: str) -> str:
    """The history triggers of GEOMETRY_TABLES, calling `<function_prefix>_<event>()`."""
    out = []
    for table in GEOMETRY_TABLES:
        for event, transition in _EVENTS.items():
            out.append(f"DROP TRIGGER {table}_history_{event} ON {table};\n"
                       f"CREATE TRIGGER {table}_history_{event} AFTER {event.upper()} "
                       f"ON {table}\n  {transition} FOR EACH STATEMENT\n"
                       f"  EXECUTE FUNCTION {function_prefix}_{event}();")
    return "\n".join(out)


def upgrade() -> None:
    op.execute(RENDERER)
    op.execute(_geo_functions())
    op.execute(_point_triggers("inventory_history_geo"))


def downgrade() -> None:
    op.execute(_point_triggers("inventory_history"))
    for event in _STATEMENTS:
        op.execute(f"DROP FUNCTION inventory_history_geo_{event}()")
    op.execute("DROP FUNCTION inventory_history_json(regclass, text)")
