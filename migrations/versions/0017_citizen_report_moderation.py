"""citizen report moderation: the resident's follow token, the pending queue

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 20:30:00

A resident who files a report gets a private link to follow it; only the SHA-256 of its
token is stored (unique, so the link finds exactly one report). Who moderated, when, and
the rejection reason already have columns (moderated_by_id, moderated_at,
moderation_note); a rejection must now carry its reason, which the resident is shown.
The officers' queue and the workspace's count ask for the pending
reports of one municipality, newest first: a partial index serves them. The history
triggers record the new column without change (report rows are kept whole).
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("citizen_report", sa.Column("follow_token_hash", sa.String(64), nullable=True))
    op.create_unique_constraint(
        op.f("uq_citizen_report_follow_token_hash"), "citizen_report", ["follow_token_hash"]
    )
    op.create_check_constraint(
        op.f("ck_citizen_report_rejected_has_reason"),
        "citizen_report",
        "status <> 'rejected' OR length(btrim(moderation_note)) > 0",
    )
    op.create_index(
        "ix_citizen_report_pending",
        "citizen_report",
        ["municipality_id", sa.text("created_at DESC")],
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade():
    op.drop_index("ix_citizen_report_pending", table_name="citizen_report")
    op.drop_constraint(
        op.f("ck_citizen_report_rejected_has_reason"), "citizen_report", type_="check"
    )
    op.drop_constraint(
        op.f("uq_citizen_report_follow_token_hash"), "citizen_report", type_="unique"
    )
    op.drop_column("citizen_report", "follow_token_hash")
