"""server-side sessions: a browser session lives as long as its row in user_session

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 22:40:00

The session cookie keeps its random id; the table keeps the id's sha256, when the session
began, when it was last used and when it ended (sign-out, password change or reset, an
administrator deactivating the account). The app refuses a cookie whose row is missing,
ended, idle or too old, so a copied cookie stops working when its session ends. Not
audited by the history triggers: last_seen_at changes as the user works.

login_lock holds the lockout of every username typed, known or not, alike (app_user's
locked_until stays, for known ones): an unknown name locks and unlocks at the same time
as an account, so the lockout message no longer tells which names exist.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_session",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "last_seen_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id_hash ~ '^[0-9a-f]{64}$'", name=op.f("ck_user_session_id_hash_hex")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            ondelete="CASCADE",
            name=op.f("fk_user_session_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("id_hash", name=op.f("uq_user_session_id_hash")),
    )
    op.create_index(op.f("ix_user_session_user_id"), "user_session", ["user_id"])
    op.create_table(
        "login_lock",
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_lock")),
    )


def downgrade():
    op.drop_table("login_lock")
    op.drop_index(op.f("ix_user_session_user_id"), table_name="user_session")
    op.drop_table("user_session")
