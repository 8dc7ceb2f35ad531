"""Inspection photos: checked by their bytes, stored under UPLOAD_DIR with random names.

A photo is accepted when its first bytes are those of a JPEG, PNG or WebP (the name and
the browser's content type are not trusted) and it is at most MAX_BYTES. The file gets
a random name (no path or name from the client reaches the disk); `inspection_photo`
keeps the relative path, the original name, type, size and sha256.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import sqlalchemy.orm as so

from inventory.models import Inspection, InspectionPhoto
from inventory.services import audit
from inventory.services.errors import NotFound, ValidationError
from inventory.services.permissions import Actor, require_write

MAX_BYTES = 10 * 1024 * 1024
#: content type and suffix, by what the file starts with.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, suffix) of a JPEG, PNG or WebP by its magic bytes, else None."""
    for magic, content_type, suffix in _SIGNATURES:
        if data.startswith(magic):
            return content_type, suffix
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def add_photo(
    session: so.Session,
    actor: Actor,
    inspection_id: int,
    data: bytes,
    original_name: str | None,
    upload_dir: Path,
) -> InspectionPhoto:
    """Store one photo of an inspection the actor may change; the caller commits.

    Raises ValidationError(field="photos") for an empty, oversized or non-image file.
    """
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound("no inspection %(id)s", id=inspection_id)
    require_write(actor, inspection.municipality_id)
    name = (original_name or "")[:300] or None
    if not data:
        raise ValidationError("%(file)s: the file is empty", field="photos", file=name or "photo")
    if len(data) > MAX_BYTES:
        raise ValidationError("%(file)s: larger than 10 MB", field="photos", file=name or "photo")
    kind = sniff(data)
    if kind is None:
        raise ValidationError(
            "%(file)s: not a JPEG, PNG or WebP image", field="photos", file=name or "photo"
        )
    content_type, suffix = kind
    relative = Path("inspections") / str(inspection_id) / (secrets.token_hex(16) + suffix)
    target = upload_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    audit.set_actor(session, actor.user_id, actor.source)
    photo = InspectionPhoto(
        inspection_id=inspection_id,
        stored_path=relative.as_posix(),
        original_name=name,
        content_type=content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        position=inspection.position,
    )
    session.add(photo)
    session.flush()
    return photo


def photo_file(
    session: so.Session, actor: Actor, photo_id: int, upload_dir: Path
) -> tuple[Path, str]:
    """(path on disk, content type) of a photo the actor may read."""
    from inventory.services.permissions import require_read

    photo = session.get(InspectionPhoto, photo_id)
    if photo is None:
        raise NotFound("no photo %(id)s", id=photo_id)
    require_read(actor, photo.inspection.municipality_id)
    return upload_dir / photo.stored_path, photo.content_type


def set_position(session: so.Session, inspection_id: int, lon: float, lat: float) -> None:
    """Record where the inspector stood (the phone's position, EPSG:4326)."""
    from shapely.geometry import Point

    from inventory.services.geometry import to_db

    inspection = session.get(Inspection, inspection_id)
    inspection.position = to_db(Point(lon, lat))
    session.flush()


def photos_of(session: so.Session, inspection_id: int) -> list[InspectionPhoto]:
    """The photos of an inspection, oldest first (the caller checked read access)."""
    import sqlalchemy as sa

    return list(
        session.scalars(
            sa.select(InspectionPhoto)
            .where(InspectionPhoto.inspection_id == inspection_id)
            .order_by(InspectionPhoto.id)
        )
    )
