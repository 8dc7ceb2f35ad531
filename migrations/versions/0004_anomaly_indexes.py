"""what the anomaly scan reads instead of recomputing, and the indexes it needs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:00:00

- `parcel.surface_point`: a point on the parcel's surface, kept by the database from
  `geom` (a generated column), with a spatial index. The rent norm finds each parcel's
  economic zone from it, and the area check names the Kyrg-06 zone from it, without
  recomputing it for every parcel on every scan.
- `parcel.ident_code_key`: the identification code without spaces and without the
  leading zeros of each group of digits (5-08-01-012-3 and 5-08-01-0012-0003 give the
  same key), kept by the database from `ident_code`, indexed per municipality: the
  duplicate-code check is an index lookup for one parcel and a hash join for all.
- `ix_anomaly_flag_refs`: the records a flag's fingerprint names, so a re-check finds
  the flags of the records it re-checked without reading every flag.
- The history of anomaly_flag updates: a scan finds every open violation again and
  moves its `last_seen_at`; that alone is not a change worth recording (it would add a
  history row per flag per nightly scan), so anomaly_flag gets its own update trigger
  that records every other change. It pairs old and new rows by id and compares
  columns; the generic trigger pairs them by their jsonb renderings, which the planner
  cannot hash, and a scan touching 10,000 flags spent most of a minute there.
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

CODE_KEY = r"""regexp_replace(regexp_replace(ident_code, '\s+', '', 'g'),
                      '(^|\D)0+(\d)', '\1\2', 'g')"""


FLAG_HISTORY = r"""
CREATE FUNCTION inventory_flag_history_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_record (table_name, record_id, action, changed_by_id, source,
                             transaction_id, before, after)
  SELECT TG_TABLE_NAME, n.id, 'update',
         NULLIF(current_setting('inventory.user_id', true), '')::int,
         NULLIF(current_setting('inventory.source', true), ''),
         txid_current(), to_jsonb(o), to_jsonb(n)
    FROM new_rows n
    JOIN old_rows o ON o.id = n.id
   -- Every column but last_seen_at (and id): a column added to anomaly_flag later
   -- must be added here too, or its changes go unrecorded.
   WHERE (o.municipality_id, o.rule, o.severity, o.fingerprint, o.parcel_id, o.contract_id,
          o.building_id, o.message, o.evidence, o.evidence_hash, o.status, o.reason,
          o.status_changed_by_id, o.status_changed_at, o.first_seen_at)
         IS DISTINCT FROM
         (n.municipality_id, n.rule, n.severity, n.fingerprint, n.parcel_id, n.contract_id,
          n.building_id, n.message, n.evidence, n.evidence_hash, n.status, n.reason,
          n.status_changed_by_id, n.status_changed_at, n.first_seen_at);
  RETURN NULL;
END
$$;

DROP TRIGGER anomaly_flag_history_update ON anomaly_flag;
CREATE TRIGGER anomaly_flag_history_update AFTER UPDATE ON anomaly_flag
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_flag_history_update();
"""

GENERIC_FLAG_HISTORY = """
DROP TRIGGER anomaly_flag_history_update ON anomaly_flag;
CREATE TRIGGER anomaly_flag_history_update AFTER UPDATE ON anomaly_flag
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_history_update();
DROP FUNCTION inventory_flag_history_update();
"""


def upgrade() -> None:
    op.execute("ALTER TABLE parcel ADD COLUMN surface_point geometry(POINT, 4326) "
               "GENERATED ALWAYS AS (ST_PointOnSurface(geom)) STORED")
    op.execute("CREATE INDEX idx_parcel_surface_point ON parcel USING gist (surface_point)")
    op.execute(f"ALTER TABLE parcel ADD COLUMN ident_code_key varchar(40) "
               f"GENERATED ALWAYS AS ({CODE_KEY}) STORED")
    op.execute("CREATE INDEX ix_parcel_ident_code_key ON parcel "
               "(municipality_id, ident_code_key)")
    op.execute("CREATE INDEX ix_anomaly_flag_refs ON anomaly_flag "
               "USING gin (string_to_array(fingerprint, '|'))")
    op.execute(FLAG_HISTORY)


def downgrade() -> None:
    op.execute(GENERIC_FLAG_HISTORY)
    op.execute("DROP INDEX IF EXISTS ix_anomaly_flag_refs")
    op.execute("DROP INDEX IF EXISTS ix_parcel_ident_code_key")
    op.execute("ALTER TABLE parcel DROP COLUMN IF EXISTS ident_code_key")
    op.execute("DROP INDEX IF EXISTS idx_parcel_surface_point")
    op.execute("ALTER TABLE parcel DROP COLUMN IF EXISTS surface_point")
