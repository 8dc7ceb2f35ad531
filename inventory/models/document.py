"""Documents: contract scans, council decisions, auction protocols and review notes,
stored on disk beside the photos and attached to any record by (owner kind, owner id)."""

from __future__ import annotations

import enum

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base, Versioned, enum_column


class DocumentKind(enum.StrEnum):
    CONTRACT_SCAN = "contract_scan"
    COUNCIL_DECISION = "council_decision"
    AUCTION_PROTOCOL = "auction_protocol"
    REVIEW_NOTE = "review_note"
    OTHER = "other"


#: The only kinds of document that may ever be published.
PUBLISHABLE_KINDS = (DocumentKind.COUNCIL_DECISION, DocumentKind.AUCTION_PROTOCOL)


class OwnerKind(enum.StrEnum):
    """What a document is attached to. `lot` is an auction lot (inventory.models.auction)."""

    PARCEL = "parcel"
    BUILDING = "building"
    LESSEE = "lessee"
    CONTRACT = "contract"
    CAMPAIGN = "campaign"
    LOT = "lot"


class Document(Versioned, Base):
    """One stored file: the database keeps what and whose it is, the disk its bytes
    (`stored_path` relative to UPLOAD_DIR, so backups carry it)."""

    __tablename__ = "document"
    __table_args__ = (
        sa.CheckConstraint("size_bytes > 0", name="size_positive"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
        sa.CheckConstraint(
            "NOT public OR kind IN ({})".format(
                ", ".join(f"'{k.value}'" for k in PUBLISHABLE_KINDS)
            ),
            name="public_only_decisions_and_protocols",
        ),
        sa.Index("ix_document_owner", "owner_kind", "owner_id"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"), index=True)
    owner_kind: so.Mapped[OwnerKind] = so.mapped_column(enum_column(OwnerKind, "document_owner"))
    owner_id: so.Mapped[int]
    kind: so.Mapped[DocumentKind] = so.mapped_column(enum_column(DocumentKind, "document_kind"))
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    original_name: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    stored_path: so.Mapped[str] = so.mapped_column(sa.String(400), unique=True)
    content_type: so.Mapped[str] = so.mapped_column(sa.String(100))
    size_bytes: so.Mapped[int]
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    public: so.Mapped[bool] = so.mapped_column(server_default=sa.false())
    uploaded_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="SET NULL")
    )
