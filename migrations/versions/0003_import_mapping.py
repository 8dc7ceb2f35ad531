"""remembered column mappings of the import wizard

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:00:00

Not audited by the history triggers: a mapping is a convenience, not a record.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'import_mapping',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('municipality_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('columns', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
                  nullable=False),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ondelete='CASCADE',
                                name=op.f('fk_import_mapping_municipality_id_municipality')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
        sa.UniqueConstraint('municipality_id', 'kind', name='uq_import_mapping_kind'),
    )


def downgrade() -> None:
    op.drop_table('import_mapping')
