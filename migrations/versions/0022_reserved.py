"""reserved: replaced by the change that needs this revision

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 22:40:00
"""

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
