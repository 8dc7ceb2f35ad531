"""daily digest: auditors opt in, and a log of the digests sent

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 22:40:00

Officers get the daily e-mail digest of their city; an auditor gets it only after asking
for it (app_user.digest_opt_in). digest_sent keeps one row per user and day, so a second
run of `inventory digest` (the nightly job and a manual run) sends nobody the same day's
digest twice. Neither is audited: the opt-in is a preference, the log is a log.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "app_user",
        sa.Column("digest_opt_in", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "digest_sent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column(
            "sent_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_digest_sent_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_sent")),
        sa.UniqueConstraint("user_id", "day", name="uq_digest_sent_user_day"),
    )


def downgrade():
    op.drop_table("digest_sent")
    op.drop_column("app_user", "digest_opt_in")
