"""overlapping parcels kept between scans, recomputed only where outlines changed

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 13:00:00

Finding the parcels that overlap means testing each parcel against its neighbours
through the spatial index: at 1,000,000 parcels that is a million index probes, a third
of a full anomaly scan, although from one night to the next only the parcels an officer
drew or imported have moved. So the overlapping pairs are kept:

- `parcel_overlap` holds every pair of live parcels whose interiors meet, in id order,
  with the overlap in m² (the rule applies its tolerance when it reads them, so a new
  tolerance needs no recomputation);
- `parcel_overlap_stale` lists the parcels whose pairs must be recomputed: triggers add a
  parcel when it is inserted or its outline or archive state changes, whatever wrote it
  (officer, import, API, SQL);
- a full scan recomputes the pairs of the stale parcels first
  (inventory.services.anomalies.overlaps), then reads the table.

Every existing parcel starts stale, so the first scan after this migration computes all
pairs, as before.
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

UPGRADE = r"""
CREATE TABLE parcel_overlap (
    a_id integer NOT NULL,
    b_id integer NOT NULL,
    overlap_m2 numeric(14, 2) NOT NULL,
    CONSTRAINT pk_parcel_overlap PRIMARY KEY (a_id, b_id),
    CONSTRAINT fk_parcel_overlap_a_id_parcel FOREIGN KEY (a_id) REFERENCES parcel (id)
        ON DELETE CASCADE,
    CONSTRAINT fk_parcel_overlap_b_id_parcel FOREIGN KEY (b_id) REFERENCES parcel (id)
        ON DELETE CASCADE,
    CONSTRAINT ck_parcel_overlap_ordered CHECK (a_id < b_id)
);
CREATE INDEX ix_parcel_overlap_b_id ON parcel_overlap (b_id);

-- No foreign key: a parcel deleted after being marked stale is simply skipped. `mark`
-- changes each time the parcel is marked again, so a scan that recomputed a parcel
-- clears its mark only if nobody moved the parcel meanwhile.
CREATE SEQUENCE parcel_overlap_stale_mark_seq;
CREATE TABLE parcel_overlap_stale (
    parcel_id integer NOT NULL,
    mark bigint NOT NULL DEFAULT nextval('parcel_overlap_stale_mark_seq'),
    CONSTRAINT pk_parcel_overlap_stale PRIMARY KEY (parcel_id)
);
ALTER SEQUENCE parcel_overlap_stale_mark_seq OWNED BY parcel_overlap_stale.mark;

CREATE FUNCTION inventory_parcel_overlap_stale_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO parcel_overlap_stale (parcel_id)
  SELECT n.id FROM new_rows n
  ON CONFLICT (parcel_id) DO UPDATE SET mark = EXCLUDED.mark;
  RETURN NULL;
END
$$;

CREATE FUNCTION inventory_parcel_overlap_stale_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO parcel_overlap_stale (parcel_id)
  SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
   WHERE (n.geom, n.archived_at IS NULL) IS DISTINCT FROM (o.geom, o.archived_at IS NULL)
  ON CONFLICT (parcel_id) DO UPDATE SET mark = EXCLUDED.mark;
  RETURN NULL;
END
$$;

CREATE TRIGGER parcel_overlap_stale_insert AFTER INSERT ON parcel
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_parcel_overlap_stale_insert();
CREATE TRIGGER parcel_overlap_stale_update AFTER UPDATE ON parcel
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_parcel_overlap_stale_update();

INSERT INTO parcel_overlap_stale (parcel_id) SELECT id FROM parcel;
"""

DOWNGRADE = """
DROP TRIGGER IF EXISTS parcel_overlap_stale_update ON parcel;
DROP TRIGGER IF EXISTS parcel_overlap_stale_insert ON parcel;
DROP FUNCTION IF EXISTS inventory_parcel_overlap_stale_update();
DROP FUNCTION IF EXISTS inventory_parcel_overlap_stale_insert();
DROP TABLE IF EXISTS parcel_overlap_stale;
DROP TABLE IF EXISTS parcel_overlap;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
