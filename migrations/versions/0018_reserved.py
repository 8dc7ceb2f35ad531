"""reserved: replaced by the change that needs this revision

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 22:40:00
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
