"""room for a scan's updates in anomaly_flag; spatial indexes built as inserts build them

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 14:00:00

- anomaly_flag gets fillfactor 70. A nightly scan updates every flag it sees again
  (last_seen_at, evidence); with full pages each update wrote a new row version on
  another page and a new entry in all six indexes, and the GIN index of fingerprints
  collected a pending list that slowed the re-checks after each scan to 180 ms. With
  room on the page the updates are HOT: no index is touched. Pages written from now on
  keep the room (VACUUM FULL would rewrite the old ones).
- The spatial (GiST) indexes of the large tables get `buffering = on`. Whenever
  PostgreSQL builds such an index over existing rows (pg_restore, REINDEX, a bulk load
  that drops and recreates it) it would otherwise use the sorted build, which is quick
  but packs pages by a space-filling curve: at 1,000,000 parcels each probe of the
  parcel outlines then cost half as much again as in an index built row by row or
  buffered. Existing indexes are not rebuilt here; the setting applies to the next
  build.
"""
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

SPATIAL_INDEXES = ("idx_parcel_geom", "idx_parcel_surface_point", "idx_building_geom",
                   "idx_inspection_position")


def upgrade() -> None:
    op.execute("ALTER TABLE anomaly_flag SET (fillfactor = 70)")
    for name in SPATIAL_INDEXES:
        op.execute(f"ALTER INDEX {name} SET (buffering = on)")


def downgrade() -> None:
    for name in SPATIAL_INDEXES:
        op.execute(f"ALTER INDEX {name} RESET (buffering)")
    op.execute("ALTER TABLE anomaly_flag RESET (fillfactor)")
