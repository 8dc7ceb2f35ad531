"""indexes the public search answers from at national scale

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:05:00

Trigram indexes find any substring, but identification codes are made of short groups of
digits and addresses of a few dozen street names, so their trigrams are shared by most
rows and a trigram lookup reads posting lists of hundreds of thousands of parcels
(0.1 s and more over a million parcels). The search asks these instead:

- `ix_parcel_ident_code_pattern`: a code, or its first groups (`5-08-02`), as a prefix;
- `ix_parcel_ident_code_reverse`: the last groups of a code (`0012-3457`), as a prefix
  of the reversed code;
- `ix_parcel_address_words`: the words of an address (`Маматова 395`, in any order,
  each word or its beginning), a full-text index with the `simple` configuration.
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_parcel_ident_code_pattern ON parcel "
               "(ident_code text_pattern_ops)")
    op.execute("CREATE INDEX ix_parcel_ident_code_reverse ON parcel "
               "(reverse(ident_code) text_pattern_ops)")
    op.execute("CREATE INDEX ix_parcel_address_words ON parcel USING gin "
               "(to_tsvector('simple', coalesce(address, '')))")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_parcel_address_words")
    op.execute("DROP INDEX IF EXISTS ix_parcel_ident_code_reverse")
    op.execute("DROP INDEX IF EXISTS ix_parcel_ident_code_pattern")
