"""history triggers pair rows by id and render each row once

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:00:00

The history triggers of 0001 found a row's id by rendering the whole row as jsonb, and
the update trigger paired old and new rows by comparing those renderings: every row was
rendered three to four times (a parcel's polygon each time as GeoJSON), and the pairing
was a join on computed text. A bulk import or a re-import of 100,000 parcels spent most
of its time there. Every audited table has an integer `id`, so the rows are now paired
by it and rendered once each; what is recorded is unchanged.
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BY_ID = r"""
CREATE OR REPLACE FUNCTION inventory_history_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_record (table_name, record_id, action, changed_by_id, source,
                             transaction_id, before, after)
  SELECT TG_TABLE_NAME, n.id, 'insert',
         NULLIF(current_setting('inventory.user_id', true), '')::int,
         NULLIF(current_setting('inventory.source', true), ''),
         txid_current(), NULL, to_jsonb(n)
    FROM new_rows n;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION inventory_history_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_record (table_name, record_id, action, changed_by_id, source,
                             transaction_id, before, after)
  SELECT TG_TABLE_NAME, r.id, 'update',
         NULLIF(current_setting('inventory.user_id', true), '')::int,
         NULLIF(current_setting('inventory.source', true), ''),
         txid_current(), r.before, r.after
    FROM (SELECT n.id, to_jsonb(o) AS before, to_jsonb(n) AS after
            FROM new_rows n JOIN old_rows o ON o.id = n.id) r
   WHERE r.before IS DISTINCT FROM r.after;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION inventory_history_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_record (table_name, record_id, action, changed_by_id, source,
                             transaction_id, before, after)
  SELECT TG_TABLE_NAME, o.id, 'delete',
         NULLIF(current_setting('inventory.user_id', true), '')::int,
         NULLIF(current_setting('inventory.source', true), ''),
         txid_current(), to_jsonb(o), NULL
    FROM old_rows o;
  RETURN NULL;
END
$$;
"""

BY_JSON = r"""
CREATE OR REPLACE FUNCTION inventory_history_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_record (table_name, record_id, action, changed_by_id, source,
                             transaction_id, before, after)
  SELECT TG_TABLE_NAME, (to_jsonb(n) ->> 'id')::bigint, 'insert',
         NULLIF(current_setting('inventory.user_id', true), '')::int,
         NULLIF(current_setting('inventory.source', true), ''),
         txid_current(), NULL, to_jsonb(n)
    FROM new_rows n;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION inventory_history_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_record (table_name, record_id, action, changed_by_id, source,
                             transaction_id, before, after)
  SELECT TG_TABLE_NAME, (to_jsonb(n) ->> 'id')::bigint, 'update',
         NULLIF(current_setting('inventory.user_id', true), '')::int,
         NULLIF(current_setting('inventory.source', true), ''),
         txid_current(), to_jsonb(o), to_jsonb(n)
    FROM new_rows n
    JOIN old_rows o ON (to_jsonb(o) ->> 'id') = (to_jsonb(n) ->> 'id')
   WHERE to_jsonb(o) IS DISTINCT FROM to_jsonb(n);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION inventory_history_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_record (table_name, record_id, action, changed_by_id, source,
                             transaction_id, before, after)
  SELECT TG_TABLE_NAME, (to_jsonb(o) ->> 'id')::bigint, 'delete',
         NULLIF(current_setting('inventory.user_id', true), '')::int,
         NULLIF(current_setting('inventory.source', true), ''),
         txid_current(), to_jsonb(o), NULL
    FROM old_rows o;
  RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    op.execute(BY_ID)


def downgrade() -> None:
    op.execute(BY_JSON)
