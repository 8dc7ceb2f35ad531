"""covering indexes for the parcel tiles' lease joins

Revision ID: 0028
Revises: 0026

A parcel tile from zoom 14 on carries, for each of its parcels, the lessee of the
parcel's current lease: three key lookups per parcel (`parcel_current_lease`, then
`lease_contract`, then `lessee`), about half of a dense z15 tile's time at 1,000,000
parcels. Each lookup read the index and then the table's row. These indexes hold the
columns the tile reads beside the key, so the lookups are index-only scans (no heap
fetch while the visibility map says the page is all-visible, as autovacuum keeps it):

- `parcel_current_lease (parcel_id) INCLUDE (contract_id)`;
- `lease_contract (id) INCLUDE (lessee_id)`;
- `lessee (id) INCLUDE (kind, name)` (the name is masked in the tile's SQL, as before).

Indexes only: no trigger, nothing on parcel writes.
"""

from alembic import op

revision = "0028"
down_revision = "0026"
branch_labels = None
depends_on = None

#: name, table, key, included columns
INDEXES = (
    (
        "ix_parcel_current_lease_parcel_contract",
        "parcel_current_lease",
        "parcel_id",
        ["contract_id"],
    ),
    ("ix_lease_contract_id_lessee", "lease_contract", "id", ["lessee_id"]),
    ("ix_lessee_id_kind_name", "lessee", "id", ["kind", "name"]),
)


def upgrade() -> None:
    for name, table, key, include in INDEXES:
        op.create_index(name, table, [key], postgresql_include=include)


def downgrade() -> None:
    for name, table, _, _ in INDEXES:
        op.drop_index(name, table_name=table)
