"""Documents: contract scans, council decisions, auction protocols and review notes,
attached to a parcel, building, lessee, contract, review campaign or auction lot.

A file is accepted when its first bytes are those of a PDF, or of a JPEG, PNG or WebP
image (inventory.services.photos.sniff: the name and the browser's content type are not
trusted), it is not empty and at most MAX_BYTES. It is stored under
UPLOAD_DIR/documents with a random name, beside the inspection photos, so the backup
(inventory.database.backup) carries it with the database.

Only council decisions and auction protocols may be public, and never one about a
natural person: a document attached to a lessee who is not a legal entity, or to a
contract of one (inventory.services.privacy decides who is public). The public read
model checks it again in SQL (`publicly_visible_sql`), so a lessee recorded later as a
private individual takes their documents off the public pages at once.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import (
    Building,
    Document,
    DocumentKind,
    LeaseContract,
    Lessee,
    OwnerKind,
    Parcel,
    ReviewCampaign,
)
from inventory.models.document import PUBLISHABLE_KINDS
from inventory.services import audit
from inventory.services.errors import NotFound, ValidationError
from inventory.services.permissions import (
    Actor,
    readable_municipality,
    require_read,
    require_write,
)
from inventory.services.photos import sniff
from inventory.services.privacy import N_, PUBLIC_KIND, public_lessee
from inventory.services.records import fields
from inventory.services.records.common import check_version, flush, iso, municipality_id
from inventory.services.records.paging import Page

MAX_BYTES = 20 * 1024 * 1024
TOO_LARGE = N_("%(file)s: larger than 20 MB")
NOT_A_DOCUMENT = N_("%(file)s: not a PDF, JPEG, PNG or WebP file")

_OWNERS = {
    OwnerKind.PARCEL: Parcel,
    OwnerKind.BUILDING: Building,
    OwnerKind.LESSEE: Lessee,
    OwnerKind.CONTRACT: LeaseContract,
    OwnerKind.CAMPAIGN: ReviewCampaign,
}


def check_file(data: bytes, name: str) -> tuple[str, str]:
    """(content type, extension) of a PDF or image at most MAX_BYTES; ValidationError
    naming the file otherwise."""
    if not data:
        raise ValidationError("%(file)s: the file is empty", field="file", file=name)
    if len(data) > MAX_BYTES:
        raise ValidationError(TOO_LARGE, field="file", file=name)
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    image = sniff(data)
    if image is None:
        raise ValidationError(NOT_A_DOCUMENT, field="file", file=name)
    return image.content_type, image.extension


def _lot_model():
    """The auction lot model, when the auctions part is installed and migrated."""
    if importlib.util.find_spec("inventory.models.auction") is None:
        return None
    module = importlib.import_module("inventory.models.auction")
    return getattr(module, "AuctionLot", None)


def owner(session: so.Session, owner_kind: Any, owner_id: Any) -> Any:
    """The record a document is (to be) attached to; ValidationError if there is none."""
    try:
        kind = OwnerKind(owner_kind)
    except ValueError:
        raise ValidationError(
            "expected one of: %(values)s",
            field="owner_kind",
            values=", ".join(k.value for k in OwnerKind),
        ) from None
    if isinstance(owner_id, bool) or not isinstance(owner_id, int):
        raise ValidationError("expected a whole number", field="owner_id")
    model = _OWNERS.get(kind)
    if kind == OwnerKind.LOT:
        model = _lot_model()
        exists = session.scalar(sa.text("SELECT to_regclass('auction_lot') IS NOT NULL"))
        if model is None or not exists:
            raise ValidationError("auction lots are not recorded here yet", field="owner_kind")
    found = session.get(model, owner_id)
    if found is None:
        raise ValidationError("no %(kind)s %(id)s", field="owner_id", kind=kind.value, id=owner_id)
    return found


def about_natural_person(record: Any) -> bool:
    """Whether a record is, or belongs to, a lessee who is a natural person."""
    if isinstance(record, Lessee):
        return public_lessee(record.kind).is_private
    if isinstance(record, LeaseContract):
        return public_lessee(record.lessee.kind).is_private
    return False


def _check_public(kind: DocumentKind, record: Any) -> None:
    if kind not in PUBLISHABLE_KINDS:
        raise ValidationError(
            "only council decisions and auction protocols can be public", field="public"
        )
    if about_natural_person(record):
        raise ValidationError("a document about a natural person is never public", field="public")


_SPEC = {
    "owner_kind": fields.text(20, required=True),
    "owner_id": fields.integer(1),
    "kind": fields.choice(DocumentKind),
    "title": fields.text(300),
    "public": fields.boolean(),
}


def add_document(
    session: so.Session,
    actor: Actor,
    data: Mapping[str, Any],
    content: bytes,
    original_name: str | None,
    upload_dir: Path,
) -> Document:
    """Store a file and attach it to the record `data` names (owner_kind, owner_id, kind,
    title, public). Everything is checked before the file reaches the disk; the caller
    commits."""
    values = fields.parse(session, data, _SPEC, required=("owner_kind", "owner_id", "kind"))
    record = owner(session, values["owner_kind"], values["owner_id"])
    municipality = record.municipality_id
    require_write(actor, municipality)
    name = (original_name or "")[:300] or None
    content_type, extension = check_file(content, name or "file")
    kind = values["kind"]
    if values.get("public"):
        _check_public(kind, record)
    relative = Path("documents") / str(municipality) / (secrets.token_hex(16) + "." + extension)
    audit.set_actor(session, actor.user_id, actor.source)
    document = Document(
        municipality_id=municipality,
        owner_kind=OwnerKind(values["owner_kind"]),
        owner_id=values["owner_id"],
        kind=kind,
        title=values.get("title") or name or kind.value,
        original_name=name,
        stored_path=relative.as_posix(),
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        public=bool(values.get("public")),
        uploaded_by_id=actor.user_id,
    )
    session.add(document)
    flush(session)
    target = upload_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return document


def load(session: so.Session, actor: Actor, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound("no document %(id)s", id=document_id)
    require_read(actor, document.municipality_id)
    return document


def update(
    session: so.Session, actor: Actor, document_id: int, data: Mapping[str, Any]
) -> Document:
    """Change a document's title or public flag, at the `version` the client loaded."""
    document = load(session, actor, document_id)
    require_write(actor, document.municipality_id)
    if not isinstance(data, Mapping):
        raise ValidationError("expected a JSON object")
    check_version(document, data.get("version"))
    values = fields.parse(
        session, data, {"title": _SPEC["title"], "public": _SPEC["public"]}, ignore=("version",)
    )
    if values.get("public"):
        _check_public(document.kind, owner(session, document.owner_kind, document.owner_id))
    if values.get("title"):
        document.title = values["title"]
    if "public" in values:
        document.public = values["public"]
    audit.set_actor(session, actor.user_id, actor.source)
    flush(session)
    return document


def archive(session: so.Session, actor: Actor, document_id: int) -> Document:
    """Take a document off every list (its file stays, for the history and backups)."""
    import datetime as dt

    document = load(session, actor, document_id)
    require_write(actor, document.municipality_id)
    if document.archived_at is None:
        document.archived_at = dt.datetime.now(dt.UTC)
        document.public = False
        audit.set_actor(session, actor.user_id, actor.source)
        flush(session)
    return document


def list_documents(
    session: so.Session, actor: Actor, args: Mapping[str, Any], limit: int, offset: int
) -> Page:
    """Documents the actor may read, newest first, filtered by `municipality`,
    `owner_kind` and `owner_id`, `kind`, `public` and `q` (in the title or file name)."""
    query = sa.select(Document).where(Document.archived_at.is_(None))
    confined = readable_municipality(actor)
    if confined is not None:
        query = query.where(Document.municipality_id == confined)
    if args.get("municipality"):
        wanted = municipality_id(session, args["municipality"], actor)
        require_read(actor, wanted)
        query = query.where(Document.municipality_id == wanted)
    if args.get("owner_kind"):
        if args["owner_kind"] not in [k.value for k in OwnerKind]:
            raise ValidationError(
                "expected one of: %(values)s",
                field="owner_kind",
                values=", ".join(k.value for k in OwnerKind),
            )
        query = query.where(Document.owner_kind == args["owner_kind"])
    if args.get("owner_id"):
        if not str(args["owner_id"]).isdecimal():
            raise ValidationError("expected a whole number", field="owner_id")
        query = query.where(Document.owner_id == int(args["owner_id"]))
    if args.get("kind"):
        query = query.where(
            Document.kind == fields.choice(DocumentKind)(session, "kind", args["kind"])
        )
    if args.get("public") in ("true", "1", "false", "0"):
        query = query.where(Document.public.is_(args["public"] in ("true", "1")))
    if args.get("q"):
        pattern = "%" + str(args["q"]).replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            sa.or_(Document.title.ilike(pattern), Document.original_name.ilike(pattern))
        )
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Document.id.desc()).limit(limit).offset(offset))
    return Page([document_json(d) for d in rows], total, limit, offset)


def attached(session: so.Session, owner_kind: str, owner_id: int) -> list[dict[str, Any]]:
    """The documents of one record, oldest first (the caller checked read access)."""
    rows = session.scalars(
        sa.select(Document)
        .where(
            Document.owner_kind == owner_kind,
            Document.owner_id == owner_id,
            Document.archived_at.is_(None),
        )
        .order_by(Document.id)
    )
    return [document_json(d) for d in rows]


def document_file(
    session: so.Session, actor: Actor, document_id: int, upload_dir: Path
) -> tuple[Path, Document]:
    """(path on disk, document) of a document the actor may read."""
    document = load(session, actor, document_id)
    return upload_dir / document.stored_path, document


def publicly_visible_sql() -> sa.ColumnElement[bool]:
    """SQL: a document anyone may read: public, not archived, and not about a lessee who
    is a natural person (nor a contract of one), whatever its flag says."""
    lessee_kind = (
        sa.select(Lessee.kind)
        .where(
            sa.or_(
                sa.and_(Document.owner_kind == OwnerKind.LESSEE, Lessee.id == Document.owner_id),
                sa.and_(
                    Document.owner_kind == OwnerKind.CONTRACT,
                    Lessee.id
                    == sa.select(LeaseContract.lessee_id)
                    .where(LeaseContract.id == Document.owner_id)
                    .scalar_subquery(),
                ),
            )
        )
        .scalar_subquery()
    )
    return sa.and_(
        Document.public.is_(True),
        Document.archived_at.is_(None),
        sa.or_(
            Document.owner_kind.not_in([OwnerKind.LESSEE, OwnerKind.CONTRACT]),
            sa.func.coalesce(lessee_kind, "") == PUBLIC_KIND,
        ),
    )


def document_json(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "municipality_id": document.municipality_id,
        "owner_kind": document.owner_kind.value,
        "owner_id": document.owner_id,
        "kind": document.kind.value,
        "title": document.title,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size_bytes": document.size_bytes,
        "sha256": document.sha256,
        "public": document.public,
        "version": document.version,
        "created_at": iso(document.created_at),
        "archived_at": iso(document.archived_at),
    }
