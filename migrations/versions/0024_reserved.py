"""reserved: replaced by the change that needs this revision

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 22:40:00
"""

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
