"""the current lease of each parcel, kept by triggers

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 22:40:00

`parcel_current_lease` holds, for each parcel under an active contract, the contract a
resident sees on it: the active, unarchived one that started last (the highest id among
those that started the same day), exactly what the public read model's lateral lookup
(inventory.services.public.model.ACTIVE_CONTRACT_LATERAL) picks. The vector tiles read it
with one primary-key join instead of running that lookup (an index scan, a join, a sort)
for every parcel of the tile.

Statement triggers on lease_contract (a contract coming into force, leaving it, or an
active one's start date moving) and contract_object (objects added, moved or removed,
also by a contract's cascading delete) recompute the rows of the parcels the write
concerns, whoever writes, in one statement planned on each run (as in 0010 and 0016).
A lessee's name or kind is read through the contract at query time, so a lessee's
change needs nothing here. The existing data is filled once.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

#: The current lease of the parcels in `parcels` ($1): what the table must hold for them.
CURRENT_OF = """
SELECT DISTINCT ON (co.parcel_id) co.parcel_id, c.id AS contract_id
  FROM contract_object co JOIN lease_contract c ON c.id = co.contract_id
 WHERE {parcels} AND c.status = 'active' AND c.archived_at IS NULL
 ORDER BY co.parcel_id, c.start_date DESC, c.id DESC"""


def _in_force(c: str) -> str:
    return f"({c}.status = 'active' AND {c}.archived_at IS NULL)"


_REFRESH = f"""
WITH wanted AS ({CURRENT_OF.format(parcels="co.parcel_id = ANY($1)")}
), gone AS (
    DELETE FROM parcel_current_lease cl
     WHERE cl.parcel_id = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.parcel_id = cl.parcel_id)
)
INSERT INTO parcel_current_lease (parcel_id, contract_id)
SELECT parcel_id, contract_id FROM wanted
ON CONFLICT (parcel_id) DO UPDATE SET contract_id = EXCLUDED.contract_id
 WHERE parcel_current_lease.contract_id IS DISTINCT FROM EXCLUDED.contract_id"""

UPGRADE = f"""
CREATE FUNCTION inventory_current_lease_refresh(parcels integer[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(parcels) > 0 THEN
    EXECUTE $statement${_REFRESH}$statement$ USING parcels;
  END IF;
END
$$;

-- A contract that came into force or left it, or an active one whose start date moved.
CREATE FUNCTION inventory_current_lease_contract() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  parcels integer[];
BEGIN
  EXECUTE $statement$
    SELECT ARRAY(
      SELECT DISTINCT co.parcel_id
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        JOIN contract_object co ON co.contract_id = n.id
       WHERE co.parcel_id IS NOT NULL
         AND ({_in_force("o")} IS DISTINCT FROM {_in_force("n")}
              OR ({_in_force("n")} AND o.start_date IS DISTINCT FROM n.start_date)))
  $statement$ INTO parcels;
  PERFORM inventory_current_lease_refresh(parcels);
  RETURN NULL;
END
$$;

-- Objects added, moved or removed (also with their contract, by its cascading delete).
CREATE FUNCTION inventory_current_lease_contract_object() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  parcels integer[] := '{{}}';
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    parcels := parcels || ARRAY(SELECT parcel_id FROM new_rows WHERE parcel_id IS NOT NULL);
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    parcels := parcels || ARRAY(SELECT parcel_id FROM old_rows WHERE parcel_id IS NOT NULL);
  END IF;
  PERFORM inventory_current_lease_refresh(ARRAY(SELECT DISTINCT unnest(parcels)));
  RETURN NULL;
END
$$;

CREATE TRIGGER lease_contract_current_lease_update AFTER UPDATE ON lease_contract
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION inventory_current_lease_contract();
CREATE TRIGGER contract_object_current_lease_insert AFTER INSERT ON contract_object
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION inventory_current_lease_contract_object();
CREATE TRIGGER contract_object_current_lease_update AFTER UPDATE ON contract_object
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION inventory_current_lease_contract_object();
CREATE TRIGGER contract_object_current_lease_delete AFTER DELETE ON contract_object
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION inventory_current_lease_contract_object();
"""

#: Every parcel's current lease, from scratch (also run by bench/national.py after a
#: load with triggers off).
FILL = "INSERT INTO parcel_current_lease (parcel_id, contract_id) " + CURRENT_OF.format(
    parcels="co.parcel_id IS NOT NULL"
)

DOWNGRADE = """
DROP TRIGGER IF EXISTS contract_object_current_lease_delete ON contract_object;
DROP TRIGGER IF EXISTS contract_object_current_lease_update ON contract_object;
DROP TRIGGER IF EXISTS contract_object_current_lease_insert ON contract_object;
DROP TRIGGER IF EXISTS lease_contract_current_lease_update ON lease_contract;
DROP FUNCTION IF EXISTS inventory_current_lease_contract_object();
DROP FUNCTION IF EXISTS inventory_current_lease_contract();
DROP FUNCTION IF EXISTS inventory_current_lease_refresh(integer[]);
"""


def upgrade() -> None:
    op.create_table(
        "parcel_current_lease",
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parcel_id"],
            ["parcel.id"],
            ondelete="CASCADE",
            name=op.f("fk_parcel_current_lease_parcel_id_parcel"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["lease_contract.id"],
            ondelete="CASCADE",
            name=op.f("fk_parcel_current_lease_contract_id_lease_contract"),
        ),
        sa.PrimaryKeyConstraint("parcel_id", name=op.f("pk_parcel_current_lease")),
    )
    op.create_index("ix_parcel_current_lease_contract_id", "parcel_current_lease", ["contract_id"])
    op.execute(UPGRADE)
    op.execute(FILL)


def downgrade() -> None:
    op.execute(DOWNGRADE)
    op.drop_index("ix_parcel_current_lease_contract_id", table_name="parcel_current_lease")
    op.drop_table("parcel_current_lease")
