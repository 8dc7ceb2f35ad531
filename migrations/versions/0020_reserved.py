"""reserved: replaced by the change that needs this revision

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 22:40:00
"""

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
