"""bank statements and the lines still to assign

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 20:05:00

Lines of bank and treasury statements (imports.kinds.statements): each kept once per
municipality under its key (document number or a hash of the line), with the payment it
became; a line no contract matched waits, with no payment, for an officer to assign it
(/office/statements).
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'statement_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column(
            'municipality_id',
            sa.Integer(),
            sa.ForeignKey('municipality.id', ondelete='CASCADE', name=op.f('fk_statement_line_municipality_id_municipality')),
            nullable=False,
        ),
        sa.Column('line_key', sa.String(120), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('amount', sa.Numeric(14, 2), nullable=False),
        sa.Column('payer', sa.String(300), nullable=True),
        sa.Column('payer_inn', sa.String(14), nullable=True),
        sa.Column('purpose', sa.Text(), nullable=True),
        sa.Column('document', sa.String(60), nullable=True),
        sa.Column('source', sa.String(255), nullable=True),
        sa.Column(
            'imported_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            'payment_id', sa.Integer(), sa.ForeignKey('payment.id', ondelete='SET NULL', name=op.f('fk_statement_line_payment_id_payment')),
            nullable=True,
        ),
        sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            'assigned_by', sa.Integer(), sa.ForeignKey('app_user.id', ondelete='SET NULL', name=op.f('fk_statement_line_assigned_by_app_user')),
            nullable=True,
        ),
        sa.UniqueConstraint('municipality_id', 'line_key', name='uq_statement_line_key'),
        sa.CheckConstraint('amount > 0', name=op.f('ck_statement_line_amount_positive')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_line')),
    )
    op.create_index('ix_statement_line_payment_id', 'statement_line', ['payment_id'])
    op.create_index(
        'ix_statement_line_to_assign',
        'statement_line',
        ['municipality_id'],
        postgresql_where=sa.text('payment_id IS NULL'),
    )


def downgrade():
    op.drop_table('statement_line')
