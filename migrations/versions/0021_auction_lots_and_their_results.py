"""auction lots and their results (Government resolution №142 of 29.03.2019)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 22:40:00

A free parcel or premise is offered as a lot (auction_lot): starting annual rent, term,
conditions, the e-auction's date and the platform's reference. One open (announced) lot
per object at a time, by partial unique indexes. The outcome (auction_result) is the
winner and the final rent with the protocol, and the contract made from it, or "no
bids". Both tables are audited by the history triggers of migration 0001 (no geometry,
so the plain to_jsonb functions).
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_LOT_STATUSES = ("announced", "held", "no_bids", "cancelled")


def _history_triggers(table: str) -> None:
    op.execute(f"""
CREATE TRIGGER {table}_history_insert AFTER INSERT ON {table}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_history_insert();
CREATE TRIGGER {table}_history_update AFTER UPDATE ON {table}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_history_update();
CREATE TRIGGER {table}_history_delete AFTER DELETE ON {table}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_history_delete();
""")


def upgrade():
    op.create_table(
        "auction_lot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(60), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=True),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("use_id", sa.Integer(), nullable=True),
        sa.Column("leased_area", sa.Numeric(14, 2), nullable=True),
        sa.Column("starting_rent", sa.Numeric(14, 2), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("announced_on", sa.Date(), server_default=sa.func.current_date(), nullable=False),
        sa.Column("auction_date", sa.Date(), nullable=False),
        sa.Column("platform_ref", sa.String(300), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                *_LOT_STATUSES,
                name="lot_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="announced",
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_auction_lot_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcel.id"], name=op.f("fk_auction_lot_parcel_id_parcel")
        ),
        sa.ForeignKeyConstraint(
            ["building_id"], ["building.id"], name=op.f("fk_auction_lot_building_id_building")
        ),
        sa.ForeignKeyConstraint(
            ["use_id"], ["land_use.id"], name=op.f("fk_auction_lot_use_id_land_use")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_lot")),
        sa.UniqueConstraint("municipality_id", "number", name="uq_auction_lot_number"),
        sa.CheckConstraint(
            "num_nonnulls(parcel_id, building_id) = 1", name=op.f("ck_auction_lot_one_object")
        ),
        sa.CheckConstraint("starting_rent > 0", name=op.f("ck_auction_lot_starting_rent_positive")),
        sa.CheckConstraint("term_months BETWEEN 1 AND 600", name=op.f("ck_auction_lot_term_range")),
        sa.CheckConstraint(
            "leased_area IS NULL OR leased_area > 0",
            name=op.f("ck_auction_lot_leased_area_positive"),
        ),
    )
    for column in ("municipality_id", "parcel_id", "building_id", "auction_date", "status"):
        op.create_index(f"ix_auction_lot_{column}", "auction_lot", [column])
    for column in ("parcel_id", "building_id"):
        op.create_index(
            f"uq_auction_lot_open_{column.removesuffix('_id')}",
            "auction_lot",
            [column],
            unique=True,
            postgresql_where=sa.text("status = 'announced' AND archived_at IS NULL"),
        )
    op.create_table(
        "auction_result",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("no_bids", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("winner_id", sa.Integer(), nullable=True),
        sa.Column("final_rent", sa.Numeric(14, 2), nullable=True),
        sa.Column("bidders", sa.Integer(), nullable=True),
        sa.Column("protocol_number", sa.String(60), nullable=True),
        sa.Column("protocol_date", sa.Date(), nullable=True),
        sa.Column("protocol_url", sa.String(500), nullable=True),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["auction_lot.id"],
            name=op.f("fk_auction_result_lot_id_auction_lot"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["winner_id"], ["lessee.id"], name=op.f("fk_auction_result_winner_id_lessee")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["lease_contract.id"],
            name=op.f("fk_auction_result_contract_id_lease_contract"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["app_user.id"],
            name=op.f("fk_auction_result_recorded_by_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_result")),
        sa.UniqueConstraint("lot_id", name=op.f("uq_auction_result_lot_id")),
        sa.UniqueConstraint("contract_id", name=op.f("uq_auction_result_contract_id")),
        sa.CheckConstraint(
            "no_bids OR (winner_id IS NOT NULL AND final_rent IS NOT NULL)",
            name=op.f("ck_auction_result_winner_and_rent"),
        ),
        sa.CheckConstraint(
            "final_rent IS NULL OR final_rent > 0",
            name=op.f("ck_auction_result_final_rent_positive"),
        ),
    )
    op.create_index("ix_auction_result_winner_id", "auction_result", ["winner_id"])
    _history_triggers("auction_lot")
    _history_triggers("auction_result")


def downgrade():
    op.drop_table("auction_result")
    op.drop_table("auction_lot")
