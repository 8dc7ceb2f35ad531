"""parcel status follows its contracts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 20:05:00

A parcel under an active contract is leased; when its last active contract ends
(expired), is terminated, superseded with no successor on it, archived or deleted, or the
parcel is taken off the contract, it is free again. The statuses an officer sets for a
reason of their own (municipal use, reserved, disputed) are left as they are: only
free and leased follow the contracts, and only when a contract comes into force or
leaves it (a draft or an ended contract written for the records changes nothing).
Whatever disagrees with the contracts all the same (a status set by hand) is flagged
by the data-quality rule dq_status_contract_mismatch.

Triggers on lease_contract and contract_object do it, whoever writes (office form, API,
import, plain SQL), one statement per write over every parcel the write concerns, in
the style of the tile-cache triggers (0009): joins of old_rows with new_rows run through
EXECUTE so that each run is planned with the real row counts (0010). The parcel's own
update goes through the parcel's history trigger like any other, with the user and
source of the transaction that changed the contract. It moves the parcel's version on,
so that a form opened before the change is a conflict instead of writing the old
status back.

The existing data is corrected once here. buildings carry no status, so nothing follows
for them.

`anomaly_scan_run` keeps each full anomaly scan (when it started and ended, the day it
judged, its scope and what it found), so the audit pages can say when the flags were
last brought up to date and the app's own nightly job can tell whether the night's scan
is done.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# Live and active: a contract (alias given) that makes its parcels leased.
def _in_force(c: str) -> str:
    return f"({c}.status = 'active' AND {c}.archived_at IS NULL)"


# The parcels of `$1` still free under an active contract become leased; those of `$2`
# still leased under none become free. One UPDATE, planned on each run (a re-import
# touches tens of thousands of parcels).
_FOLLOW = f"""
  UPDATE parcel p
     SET status = CASE WHEN p.status = 'free' THEN 'leased' ELSE 'free' END,
         version = p.version + 1, updated_at = now()
   WHERE ((p.id = ANY($1) AND p.status = 'free') OR (p.id = ANY($2) AND p.status = 'leased'))
     AND (p.status = 'leased') IS DISTINCT FROM EXISTS (
         SELECT 1 FROM contract_object co JOIN lease_contract c ON c.id = co.contract_id
          WHERE co.parcel_id = p.id AND {_in_force("c")})"""

# Objects that left a contract in force, or one deleted with them (its row is gone).
_LEFT = f"""SELECT o.parcel_id FROM old_rows o
   WHERE o.parcel_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM lease_contract c
                      WHERE c.id = o.contract_id AND NOT {_in_force("c")})"""

UPGRADE = f"""
CREATE FUNCTION inventory_parcel_status_follow(to_lease integer[], to_free integer[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(to_lease) > 0 OR cardinality(to_free) > 0 THEN
    EXECUTE $statement${_FOLLOW}$statement$ USING to_lease, to_free;
  END IF;
END
$$;

-- Contracts that came into force (their parcels may become leased) or left it: expired,
-- terminated, superseded, archived (their parcels may become free).
CREATE FUNCTION inventory_parcel_status_contract() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  to_lease integer[];
  to_free integer[];
BEGIN
  EXECUTE $statement$
    WITH changed AS (
        SELECT n.id, {_in_force("n")} AS now_in_force
          FROM old_rows o JOIN new_rows n ON n.id = o.id
         WHERE {_in_force("o")} IS DISTINCT FROM {_in_force("n")}
    ), parcels AS (
        SELECT co.parcel_id, changed.now_in_force
          FROM changed JOIN contract_object co ON co.contract_id = changed.id
         WHERE co.parcel_id IS NOT NULL
    )
    SELECT ARRAY(SELECT parcel_id FROM parcels WHERE now_in_force),
           ARRAY(SELECT parcel_id FROM parcels WHERE NOT now_in_force)$statement$ INTO to_lease, to_free;
  PERFORM inventory_parcel_status_follow(to_lease, to_free);
  RETURN NULL;
END
$$;

-- Objects added to a contract (their parcels may become leased), or taken off one in
-- force or deleted with their contract (their parcels may become free).
CREATE FUNCTION inventory_parcel_status_contract_object() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  to_lease integer[] := '{{}}';
  to_free integer[] := '{{}}';
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    to_lease := ARRAY(SELECT DISTINCT parcel_id FROM new_rows WHERE parcel_id IS NOT NULL);
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    to_free := ARRAY({_LEFT});
  END IF;
  PERFORM inventory_parcel_status_follow(to_lease, to_free);
  RETURN NULL;
END
$$;

CREATE TRIGGER lease_contract_parcel_status_update AFTER UPDATE ON lease_contract
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION inventory_parcel_status_contract();
CREATE TRIGGER contract_object_parcel_status_insert AFTER INSERT ON contract_object
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION inventory_parcel_status_contract_object();
CREATE TRIGGER contract_object_parcel_status_update AFTER UPDATE ON contract_object
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION inventory_parcel_status_contract_object();
CREATE TRIGGER contract_object_parcel_status_delete AFTER DELETE ON contract_object
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION inventory_parcel_status_contract_object();
"""

# The data as it stands: every parcel, in one statement (recorded as the system's change).
SOURCE = "SELECT set_config('inventory.source', 'system', true)"
CORRECT_EXISTING = """
UPDATE parcel p
   SET status = CASE WHEN p.status = 'free' THEN 'leased' ELSE 'free' END,
       version = p.version + 1, updated_at = now()
 WHERE p.status IN ('free', 'leased')
   AND (p.status = 'leased') IS DISTINCT FROM EXISTS (
       SELECT 1 FROM contract_object co JOIN lease_contract c ON c.id = co.contract_id
        WHERE co.parcel_id = p.id AND c.status = 'active' AND c.archived_at IS NULL);
"""

DOWNGRADE = """
DROP TRIGGER IF EXISTS contract_object_parcel_status_delete ON contract_object;
DROP TRIGGER IF EXISTS contract_object_parcel_status_update ON contract_object;
DROP TRIGGER IF EXISTS contract_object_parcel_status_insert ON contract_object;
DROP TRIGGER IF EXISTS lease_contract_parcel_status_update ON lease_contract;
DROP FUNCTION IF EXISTS inventory_parcel_status_contract_object();
DROP FUNCTION IF EXISTS inventory_parcel_status_contract();
DROP FUNCTION IF EXISTS inventory_parcel_status_follow(integer[], integer[]);
"""


def upgrade() -> None:
    op.execute(UPGRADE)
    op.execute(SOURCE)
    op.execute(CORRECT_EXISTING)
    op.create_table(
        "anomaly_scan_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column(
            "municipality_id",
            sa.Integer(),
            sa.ForeignKey(
                "municipality.id",
                ondelete="CASCADE",
                name=op.f("fk_anomaly_scan_run_municipality_id_municipality"),
            ),
            nullable=True,
        ),
        sa.Column("rules", sa.ARRAY(sa.String(40)), nullable=True),
        sa.Column("source", sa.String(20), nullable=True),
        sa.Column("counts", JSONB(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anomaly_scan_run")),
    )
    op.create_index("ix_anomaly_scan_run_finished_at", "anomaly_scan_run", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_anomaly_scan_run_finished_at", table_name="anomaly_scan_run")
    op.drop_table("anomaly_scan_run")
    op.execute(DOWNGRADE)
