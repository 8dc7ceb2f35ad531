"""contract review campaigns: a campaign and one review per chosen contract

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 22:40:00

An administrator opens a review campaign of a municipality's contracts (the filters
that chose them are kept in `selection`); each contract gets a review row, assigned to
an officer, that ends kept, amended (with the amendment contract), terminated (with the
reason) or sent to court. The contract's annual rent and arrears when the campaign
opened are kept on the review, so the public page can compare before and after.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_MONEY = sa.Numeric(14, 2)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "review_campaign",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("municipality_id", sa.Integer, sa.ForeignKey("municipality.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column(
            "status",
            _enum("campaign_status", "open", "closed"),
            server_default="open",
            nullable=False,
        ),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("selection", JSONB, nullable=False),
        sa.Column(
            "opened_by_id",
            sa.Integer,
            sa.ForeignKey("app_user.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("deadline >= opened_on", name="deadline_after_opening"),
        sa.CheckConstraint("status <> 'closed' OR closed_on IS NOT NULL", name="closed_has_date"),
    )
    op.create_index(
        op.f("ix_review_campaign_municipality_id"), "review_campaign", ["municipality_id"]
    )
    op.create_table(
        "campaign_review",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "campaign_id",
            sa.Integer,
            sa.ForeignKey("review_campaign.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("contract_id", sa.Integer, sa.ForeignKey("lease_contract.id"), nullable=False),
        sa.Column("officer_id", sa.Integer, sa.ForeignKey("app_user.id", ondelete="SET NULL")),
        sa.Column(
            "outcome",
            _enum("review_outcome", "pending", "kept", "amended", "terminated", "court"),
            server_default="pending",
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date),
        sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("app_user.id", ondelete="SET NULL")),
        sa.Column("note", sa.Text),
        sa.Column("successor_id", sa.Integer, sa.ForeignKey("lease_contract.id")),
        sa.Column("termination_reason", sa.Text),
        sa.Column("rent_before", _MONEY, nullable=False),
        sa.Column("rent_after", _MONEY),
        sa.Column("arrears_before", _MONEY, server_default="0", nullable=False),
        sa.Column("version", sa.Integer, server_default="1", nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.UniqueConstraint("campaign_id", "contract_id", name="uq_campaign_review_contract"),
        sa.CheckConstraint(
            "outcome = 'pending' OR decided_on IS NOT NULL", name="decided_has_date"
        ),
        sa.CheckConstraint(
            "outcome <> 'amended' OR successor_id IS NOT NULL", name="amended_has_successor"
        ),
        sa.CheckConstraint(
            "outcome <> 'terminated' OR termination_reason IS NOT NULL",
            name="terminated_has_reason",
        ),
    )
    op.create_index(op.f("ix_campaign_review_contract_id"), "campaign_review", ["contract_id"])
    op.create_index(
        "ix_campaign_review_progress", "campaign_review", ["campaign_id", "officer_id", "outcome"]
    )


def downgrade():
    op.drop_table("campaign_review")
    op.drop_table("review_campaign")
