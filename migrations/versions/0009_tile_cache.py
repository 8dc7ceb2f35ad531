"""vector tiles kept once made, forgotten by the database when what they show changes

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 16:00:00

The public map asks for the same tiles over and over while the parcels under them change
a few times a day. `tile_cache` keeps each tile the app made (webmap/services/tile_cache.py)
with `area`, the lon/lat box of the tile and its clipping buffer: any record whose
outline touches that box can change the tile. Triggers delete the tiles a write can
change, whoever writes (office, import, API, SQL):

- parcels inserted, deleted, moved, archived or restored, or whose status, designated
  use or municipality changes: the parcel tiles over their old and new outlines;
- buildings likewise (outline, kind, floors, parcel, archive state): the building tiles;
- contracts whose status, start, archive state or lessee changes, their objects, and
  lessees whose name or kind changes: the parcel tiles over the parcels concerned (a
  tile carries the masked lessee of each parcel's active contract);
- a changed municipality slug or land use code, or any TRUNCATE: every tile.

A tile made while such a write is under way must not be kept, or it would outlive the
delete that was meant for it. Two advisory locks settle this without making writers wait
for one another or tile makers for one another:

- a writing statement holds WRITE_LOCK shared until its transaction ends, and before
  deleting it waits for the tile makers in flight (it takes MAKE_LOCK exclusively and
  lets it go at once);
- a tile maker holds MAKE_LOCK shared while it makes and stores the tile, and stores it
  only if WRITE_LOCK was free a moment before it read the data (no write in flight).

So a tile is either made from data no pending write will change, or deleted by that
write after it is stored.

Past 10,000 records in one statement (a bulk import) the whole layer is forgotten: one
delete instead of 10,000 index probes.
"""
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

#: Advisory lock keys ("tilw", "tilm"), as in webmap.services.tile_cache.
WRITE_LOCK = 0x74696C77
MAKE_LOCK = 0x74696C6D

UPGRADE = rf"""
CREATE SEQUENCE tile_cache_stored_seq;
CREATE TABLE tile_cache (
    layer varchar(16) NOT NULL,
    z smallint NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    data bytea NOT NULL,
    etag varchar(64) NOT NULL,
    area geometry(Polygon, 4326) NOT NULL,
    stored bigint NOT NULL DEFAULT nextval('tile_cache_stored_seq'),
    CONSTRAINT pk_tile_cache PRIMARY KEY (layer, z, x, y)
);
ALTER SEQUENCE tile_cache_stored_seq OWNED BY tile_cache.stored;
CREATE INDEX ix_tile_cache_area ON tile_cache USING gist (area);
CREATE INDEX ix_tile_cache_stored ON tile_cache (stored);

-- A write that may change tiles is under way in this transaction: hold WRITE_LOCK
-- shared to its end, and let every tile maker in flight store its tile first. Then say
-- whether any tile of `layer_name` (NULL: of any layer) is kept at all: when none is,
-- as during a bulk import into a fresh inventory, there is nothing to look for.
CREATE FUNCTION inventory_tile_cache_writing(layer_name text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared({WRITE_LOCK});
  PERFORM pg_advisory_lock({MAKE_LOCK});
  PERFORM pg_advisory_unlock({MAKE_LOCK});
  RETURN EXISTS (SELECT 1 FROM tile_cache
                  WHERE layer_name IS NULL OR layer = layer_name);
END
$$;

-- Forget the tiles of `layer_name` whose area meets one of `areas` (NULLs are skipped).
-- Called after inventory_tile_cache_writing(layer_name).
CREATE FUNCTION inventory_tile_cache_forget(layer_name text, areas geometry[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(areas) > 10000 THEN
    DELETE FROM tile_cache WHERE layer = layer_name;
  ELSIF cardinality(areas) > 0 THEN
    DELETE FROM tile_cache t USING unnest(areas) AS a(g)
     WHERE t.layer = layer_name AND t.area && a.g;
  END IF;
END
$$;

-- A write to these parcels' leases: forget the parcel tiles over their outlines.
CREATE FUNCTION inventory_tile_cache_forget_parcels(ids integer[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF inventory_tile_cache_writing('parcels') THEN
    PERFORM inventory_tile_cache_forget('parcels', ARRAY(
      SELECT geom FROM parcel WHERE id = ANY(ids) AND geom IS NOT NULL));
  END IF;
END
$$;

CREATE FUNCTION inventory_tile_cache_forget_all() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF inventory_tile_cache_writing(NULL) THEN
    DELETE FROM tile_cache;
  END IF;
  RETURN NULL;
END
$$;

-- Parcels and buildings: the tiles of layer TG_ARGV[0] over the old and new outlines of
-- the rows inserted, deleted, or updated in one of the columns TG_ARGV[1] names (comma-
-- separated: what a tile of that layer shows).
CREATE FUNCTION inventory_tile_cache_outlines() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  layer_name text := TG_ARGV[0];
  shown text := TG_ARGV[1];
  areas geometry[];
BEGIN
  IF NOT inventory_tile_cache_writing(layer_name) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    areas := ARRAY(SELECT geom FROM new_rows WHERE geom IS NOT NULL);
  ELSIF TG_OP = 'DELETE' THEN
    areas := ARRAY(SELECT geom FROM old_rows WHERE geom IS NOT NULL);
  ELSE
    EXECUTE format(
      'SELECT ARRAY(SELECT g FROM old_rows o JOIN new_rows n ON n.id = o.id '
      '  CROSS JOIN LATERAL (VALUES (o.geom), (n.geom)) AS both_outlines(g) '
      '  WHERE g IS NOT NULL AND (%s) IS DISTINCT FROM (%s))',
      'o.' || replace(shown, ',', ', o.'), 'n.' || replace(shown, ',', ', n.'))
      INTO areas;
  END IF;
  PERFORM inventory_tile_cache_forget(layer_name, areas);
  RETURN NULL;
END
$$;

-- Joins of old_rows with new_rows run through EXECUTE: planned each time with the real
-- number of rows (a plan kept from a one-row edit would compare every old row with
-- every new one in a bulk update; migration 0010 tells the story).
CREATE FUNCTION inventory_tile_cache_contract() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    ids := ARRAY(
      SELECT co.parcel_id FROM new_rows n JOIN contract_object co ON co.contract_id = n.id);
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY(
      SELECT co.parcel_id FROM old_rows o JOIN contract_object co ON co.contract_id = o.id);
  ELSE
    EXECUTE 'SELECT ARRAY(
      SELECT co.parcel_id FROM old_rows o JOIN new_rows n ON n.id = o.id
        JOIN contract_object co ON co.contract_id = n.id
       WHERE (o.status, o.start_date, o.lessee_id, o.archived_at IS NULL)
             IS DISTINCT FROM
             (n.status, n.start_date, n.lessee_id, n.archived_at IS NULL))' INTO ids;
  END IF;
  PERFORM inventory_tile_cache_forget_parcels(ids);
  RETURN NULL;
END
$$;

CREATE FUNCTION inventory_tile_cache_contract_object() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM inventory_tile_cache_forget_parcels(ARRAY(SELECT parcel_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM inventory_tile_cache_forget_parcels(ARRAY(SELECT parcel_id FROM old_rows));
  ELSE
    PERFORM inventory_tile_cache_forget_parcels(ARRAY(
      SELECT parcel_id FROM old_rows UNION SELECT parcel_id FROM new_rows));
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION inventory_tile_cache_lessee() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids integer[];
BEGIN
  EXECUTE 'SELECT ARRAY(
    SELECT co.parcel_id FROM old_rows o JOIN new_rows n ON n.id = o.id
      JOIN lease_contract c ON c.lessee_id = n.id
      JOIN contract_object co ON co.contract_id = c.id
     WHERE (o.name, o.kind) IS DISTINCT FROM (n.name, n.kind))' INTO ids;
  PERFORM inventory_tile_cache_forget_parcels(ids);
  RETURN NULL;
END
$$;

-- Municipalities and land uses are a few dozen rows: a kept plan is fine here.
CREATE FUNCTION inventory_tile_cache_reference() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE to_jsonb(o) -> TG_ARGV[0] IS DISTINCT FROM to_jsonb(n) -> TG_ARGV[0]) THEN
    IF inventory_tile_cache_writing(NULL) THEN
      DELETE FROM tile_cache;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
"""

_ALL = ("INSERT", "UPDATE", "DELETE")
_TRIGGERS = [
    # (table, function and its arguments, operations)
    ("parcel", "inventory_tile_cache_outlines("
     "'parcels', 'geom,status,designated_use_id,municipality_id,archived_at')", _ALL),
    ("building", "inventory_tile_cache_outlines("
     "'buildings', 'geom,kind,floors,parcel_id,archived_at')", _ALL),
    ("lease_contract", "inventory_tile_cache_contract()", _ALL),
    ("contract_object", "inventory_tile_cache_contract_object()", _ALL),
    ("lessee", "inventory_tile_cache_lessee()", ("UPDATE",)),
]
_REFERENCES = [("municipality", "slug"), ("land_use", "code")]
_TRUNCATED = ("parcel", "building", "lease_contract", "contract_object", "lessee",
              "municipality", "land_use")
_TRANSITION = {"INSERT": "REFERENCING NEW TABLE AS new_rows",
               "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "DELETE": "REFERENCING OLD TABLE AS old_rows"}


def _trigger_sql() -> list[str]:
    """One statement trigger per table and operation (a trigger with transition tables
    may fire on one operation only)."""
    out = []
    for table, function, operations in _TRIGGERS:
        for operation in operations:
            out.append(f"CREATE TRIGGER {table}_tile_cache_{operation.lower()} "
                       f"AFTER {operation} ON {table} {_TRANSITION[operation]} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {function}")
    for table, column in _REFERENCES:
        out.append(f"CREATE TRIGGER {table}_tile_cache_update AFTER UPDATE ON {table} "
                   f"{_TRANSITION['UPDATE']} FOR EACH STATEMENT "
                   f"EXECUTE FUNCTION inventory_tile_cache_reference('{column}')")
    for table in _TRUNCATED:
        out.append(f"CREATE TRIGGER {table}_tile_cache_truncate AFTER TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION inventory_tile_cache_forget_all()")
    return out


def _drop_trigger_sql() -> list[str]:
    out = []
    for table, _, operations in _TRIGGERS:
        out += [f"DROP TRIGGER IF EXISTS {table}_tile_cache_{op_.lower()} ON {table}"
                for op_ in operations]
    out += [f"DROP TRIGGER IF EXISTS {table}_tile_cache_update ON {table}"
            for table, _ in _REFERENCES]
    out += [f"DROP TRIGGER IF EXISTS {table}_tile_cache_truncate ON {table}"
            for table in _TRUNCATED]
    return out


DOWNGRADE_FUNCTIONS = """
DROP FUNCTION IF EXISTS inventory_tile_cache_reference();
DROP FUNCTION IF EXISTS inventory_tile_cache_lessee();
DROP FUNCTION IF EXISTS inventory_tile_cache_contract_object();
DROP FUNCTION IF EXISTS inventory_tile_cache_contract();
DROP FUNCTION IF EXISTS inventory_tile_cache_outlines();
DROP FUNCTION IF EXISTS inventory_tile_cache_forget_all();
DROP FUNCTION IF EXISTS inventory_tile_cache_forget_parcels(integer[]);
DROP FUNCTION IF EXISTS inventory_tile_cache_forget(text, geometry[]);
DROP FUNCTION IF EXISTS inventory_tile_cache_writing(text);
DROP TABLE IF EXISTS tile_cache;
"""


def upgrade() -> None:
    op.execute(UPGRADE)
    for statement in _trigger_sql():
        op.execute(statement)


def downgrade() -> None:
    for statement in _drop_trigger_sql():
        op.execute(statement)
    op.execute(DOWNGRADE_FUNCTIONS)
