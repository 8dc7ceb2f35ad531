"""statement triggers plan the join of their old and new rows each time they run

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 17:00:00

A PL/pgSQL function keeps the plan of each of its statements for the life of the
connection, and after five runs may keep one generic plan for good. The update triggers
that pair `old_rows` with `new_rows` by id had their plan made while those transition
tables held no row or a few (an officer's edit, an anomaly merge that changed nothing):
a nested loop, fine for a few rows. Reused for a statement that updates tens of thousands
of rows on the same connection (the nightly anomaly scan seeing its 100,000 flags again,
a re-import), it compared every old row with every new one: at 18,000 anomaly flags the
trigger ran for minutes instead of 0.2 s, and the nightly scan at 1,000,000 parcels
spent more than four minutes merging one rule (it was stopped there).

The pairing statements now run through EXECUTE, which plans them afresh each time with
the transition tables' real sizes (a hash join for many rows). Planning costs a fraction
of a millisecond. What the triggers record is unchanged.
"""
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# {table} is where the audited table's name goes (TG_TABLE_NAME, or $1 under EXECUTE).
_RECORD_UPDATE = """
  INSERT INTO change_record (table_name, record_id, action, changed_by_id, source,
                             transaction_id, before, after)
  SELECT {{table}}, {id}, 'update',
         NULLIF(current_setting('inventory.user_id', true), '')::int,
         NULLIF(current_setting('inventory.source', true), ''),
         txid_current(), {before}, {after}"""

_HISTORY_UPDATE = _RECORD_UPDATE.format(id="r.id", before="r.before", after="r.after") + """
    FROM (SELECT n.id, to_jsonb(o) AS before, to_jsonb(n) AS after
            FROM new_rows n JOIN old_rows o ON o.id = n.id) r
   WHERE r.before IS DISTINCT FROM r.after"""

_FLAG_HISTORY_UPDATE = _RECORD_UPDATE.format(
    id="n.id", before="to_jsonb(o)", after="to_jsonb(n)") + """
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
          n.status_changed_by_id, n.status_changed_at, n.first_seen_at)"""

_OVERLAP_STALE_UPDATE = """
  INSERT INTO parcel_overlap_stale (parcel_id)
  SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
   WHERE (n.geom, n.archived_at IS NULL) IS DISTINCT FROM (o.geom, o.archived_at IS NULL)
  ON CONFLICT (parcel_id) DO UPDATE SET mark = EXCLUDED.mark"""

FUNCTIONS = {
    "inventory_history_update": _HISTORY_UPDATE,
    "inventory_flag_history_update": _FLAG_HISTORY_UPDATE,
    "inventory_parcel_overlap_stale_update": _OVERLAP_STALE_UPDATE,
}


def function_sql(name: str, statement: str, planned_each_run: bool) -> str:
    """The trigger function `name` running `statement`: through EXECUTE (planned on
    each run) or as a plain statement (plan kept by PL/pgSQL, as before 0010)."""
    if planned_each_run:
        uses_table = "{table}" in statement
        body = (f"  EXECUTE $statement${statement.format(table='$1')}$statement$"
                + (" USING TG_TABLE_NAME" if uses_table else "") + ";")
    else:
        body = statement.format(table="TG_TABLE_NAME") + ";"
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{body}\n  RETURN NULL;\nEND\n$$;")


def upgrade() -> None:
    for name, statement in FUNCTIONS.items():
        op.execute(function_sql(name, statement, planned_each_run=True))


def downgrade() -> None:
    for name, statement in FUNCTIONS.items():
        op.execute(function_sql(name, statement, planned_each_run=False))
