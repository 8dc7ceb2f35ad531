"""each visible parcel's generalised Web Mercator shape for the overview tiles, kept by triggers

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 02:45:00

Below zoom 14 a parcel tile carries one visible parcel per cell of a 40 x 40 grid
(inventory.services.public.tiles, THIN_BELOW_ZOOM). Before this revision each such tile
transformed every picked parcel to Web Mercator and simplified it on each request.
`parcel_overview` holds that work done once, for each visible (unarchived) parcel with a
geometry:

- `box`: the parcel's Web Mercator bounding box, GiST-indexed: a cell of the grid asks
  the index for any one box touching it, with no visibility test (only visible parcels
  have a row);
- `shape`: what the z13 tile draws, the Web Mercator outline simplified at one z13 grid
  unit, or its box grown by one unit when it is narrower than two units (a dot that
  survives quantisation); z10-z12 tiles draw the box grown by their own unit where the
  parcel is narrower than two of their units, else this shape;
- `municipality_id`, `status`, `designated_use_id`: the parcel's fields a tile shows,
  so a tile never reads the wide parcel row.

Statement triggers on parcel keep it, whoever writes (API, office, imports): an insert
adds the rows of its visible parcels; an update that changes a geometry, an archival,
a status, a municipality or a designated use rewrites the rows of those parcels, all
through the transition tables in one statement each, planned on each run (as in 0010),
so a bulk import pays one set-based insert, not a trigger per row. A deleted parcel's
row goes with it (ON DELETE CASCADE). The existing parcels are filled once.
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

#: One grid unit (of 4096) of a zoom-13 tile, in Web Mercator metres.
UNIT_Z13 = 2 * 20037508.342789244 / 2**13 / 4096

#: The overview rows of the parcels in `{rows}` (aliased `n`, with the columns of parcel).
ROWS_OF = f"""
SELECT n.id, n.municipality_id, n.status, n.designated_use_id, ST_Envelope(g.m),
       CASE WHEN ST_XMax(g.m) - ST_XMin(g.m) < {2 * UNIT_Z13}
              OR ST_YMax(g.m) - ST_YMin(g.m) < {2 * UNIT_Z13}
            THEN ST_Expand(ST_Envelope(g.m), {UNIT_Z13})
            ELSE ST_Simplify(g.m, {UNIT_Z13}, true) END
  FROM {{rows}} n CROSS JOIN LATERAL (SELECT ST_Transform(n.geom, 3857) AS m) g
 WHERE n.archived_at IS NULL AND n.geom IS NOT NULL"""

_INSERT = (
    "INSERT INTO parcel_overview "
    "(parcel_id, municipality_id, status, designated_use_id, box, shape)"
)

#: Every visible parcel's row, from scratch (also run by bench/national.py after a load
#: with triggers off).
FILL = _INSERT + ROWS_OF.format(rows="parcel")

UPGRADE = f"""
CREATE FUNCTION inventory_parcel_overview_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE $statement${_INSERT}{ROWS_OF.format(rows="new_rows")}$statement$;
  RETURN NULL;
END
$$;

-- Only the parcels whose drawn shape or shown fields changed are rewritten: those still
-- visible upserted, those archived or without geometry now deleted (disjoint sets, so
-- the two writes of the one statement never meet on a row).
CREATE FUNCTION inventory_parcel_overview_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE $statement$
    WITH changed AS (
      SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE (n.geom, n.archived_at IS NULL, n.status, n.municipality_id,
              n.designated_use_id)
             IS DISTINCT FROM
             (o.geom, o.archived_at IS NULL, o.status, o.municipality_id,
              o.designated_use_id)
    ), gone AS (
      DELETE FROM parcel_overview v USING changed c
       WHERE v.parcel_id = c.id AND (c.archived_at IS NOT NULL OR c.geom IS NULL)
    )
    {_INSERT}{ROWS_OF.format(rows="changed")}
    ON CONFLICT (parcel_id) DO UPDATE
       SET municipality_id = EXCLUDED.municipality_id, status = EXCLUDED.status,
           designated_use_id = EXCLUDED.designated_use_id, box = EXCLUDED.box,
           shape = EXCLUDED.shape
  $statement$;
  RETURN NULL;
END
$$;

CREATE TRIGGER parcel_overview_insert AFTER INSERT ON parcel
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_parcel_overview_insert();
CREATE TRIGGER parcel_overview_update AFTER UPDATE ON parcel
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_parcel_overview_update();
"""

DOWNGRADE = """
DROP TRIGGER IF EXISTS parcel_overview_update ON parcel;
DROP TRIGGER IF EXISTS parcel_overview_insert ON parcel;
DROP FUNCTION IF EXISTS inventory_parcel_overview_update();
DROP FUNCTION IF EXISTS inventory_parcel_overview_insert();
"""


def upgrade() -> None:
    op.create_table(
        "parcel_overview",
        sa.Column("parcel_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("designated_use_id", sa.Integer(), nullable=True),
        sa.Column("box", Geometry("POLYGON", srid=3857, spatial_index=False), nullable=False),
        sa.Column("shape", Geometry("GEOMETRY", srid=3857, spatial_index=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["parcel_id"],
            ["parcel.id"],
            ondelete="CASCADE",
            name=op.f("fk_parcel_overview_parcel_id_parcel"),
        ),
        sa.PrimaryKeyConstraint("parcel_id", name=op.f("pk_parcel_overview")),
    )
    op.execute(FILL)
    op.create_index("ix_parcel_overview_box", "parcel_overview", ["box"], postgresql_using="gist")
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
    op.drop_index("ix_parcel_overview_box", table_name="parcel_overview")
    op.drop_table("parcel_overview")
