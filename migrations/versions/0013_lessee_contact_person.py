"""a lessee's contact person

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 20:00:00

Offices keep, next to a company lessee, the person they call about the lease (its director
or accountant); registers carry it as "Контактное лицо" or "Руководитель". It is a
person's name, so like a lessee's phone it is for the office only: no public output
selects it. The field is described once, in inventory/services/records/lessees.py; the
history triggers record the new column without change (lessee rows are kept whole).
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('lessee', sa.Column('contact_person', sa.String(200), nullable=True))


def downgrade():
    op.drop_column('lessee', 'contact_person')
