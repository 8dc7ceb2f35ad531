"""reserved: replaced by the change that needs this revision

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 22:40:00
"""

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
