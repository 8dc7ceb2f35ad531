"""reserved: replaced by the change that needs this revision

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 22:40:00
"""

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
