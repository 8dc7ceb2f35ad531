"""documents attached to records: scans, decisions, protocols, review notes

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 22:40:00

A document is a file under UPLOAD_DIR (beside the inspection photos, so backups carry
it) attached to a parcel, building, lessee, contract, review campaign or auction lot by
(owner_kind, owner_id): one table for every owner, none of which needs a column of its
own. Only council decisions and auction protocols may be public; the services refuse
publishing anything about a natural person.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("municipality_id", sa.Integer, sa.ForeignKey("municipality.id"), nullable=False),
        sa.Column(
            "owner_kind",
            _enum("document_owner", "parcel", "building", "lessee", "contract", "campaign", "lot"),
            nullable=False,
        ),
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column(
            "kind",
            _enum(
                "document_kind",
                "contract_scan",
                "council_decision",
                "auction_protocol",
                "review_note",
                "other",
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("original_name", sa.String(300)),
        sa.Column("stored_path", sa.String(400), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("public", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer, sa.ForeignKey("app_user.id", ondelete="SET NULL")),
        sa.Column("version", sa.Integer, server_default="1", nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.UniqueConstraint("stored_path", name="uq_document_stored_path"),
        sa.CheckConstraint("size_bytes > 0", name="size_positive"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
        sa.CheckConstraint(
            "NOT public OR kind IN ('council_decision', 'auction_protocol')",
            name="public_only_decisions_and_protocols",
        ),
    )
    op.create_index(op.f("ix_document_municipality_id"), "document", ["municipality_id"])
    op.create_index("ix_document_owner", "document", ["owner_kind", "owner_id"])


def downgrade():
    op.drop_table("document")
