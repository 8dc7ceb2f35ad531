"""Photos: the one check of an uploaded image, and inspection photos stored under
UPLOAD_DIR with random names.

An image is accepted when its first bytes are those of a JPEG, PNG or WebP (the name and
the browser's content type are not trusted) and it is at most the size its use allows
(`ImageRules`; inspection photos: MAX_BYTES). An inspection photo gets a random name (no
path or name from the client reaches the disk); `inspection_photo` keeps the relative
path, the original name, type, size and sha256. Citizen reports check their photos with
the same function (inventory.services.public.reports).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy.orm as so

from inventory.models import Inspection, InspectionPhoto
from inventory.services import audit
from inventory.services.errors import NotFound, ValidationError
from inventory.services.permissions import Actor, require_write
from inventory.services.privacy import N_

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class ImageKind:
    """What an image's first bytes say it is: its content type and file extension."""

    content_type: str
    extension: str

    @property
    def suffix(self) -> str:
        return "." + self.extension


#: Image kinds by what the file starts with (WebP: "RIFF", 4 bytes of size, "WEBP").
_SIGNATURES = (
    (b"\xff\xd8\xff", ImageKind("image/jpeg", "jpg")),
    (b"\x89PNG\r\n\x1a\n", ImageKind("image/png", "png")),
)
_WEBP = ImageKind("image/webp", "webp")


@dataclass(frozen=True)
class ImageRules:
    """How one use checks its images: the size limit, the form field a refusal names, and
    the refusal's wording (message ids, filled with the parameters given to check_image).

    The limits differ where the uses do: an officer's inspection photo is evidence, taken
    at a phone camera's full resolution (10 MB, MAX_BYTES); a resident's report photo
    comes through an anonymous public form, kept to 5 MB so that spam cannot fill the
    disk (inventory.services.public.reports).
    """

    max_bytes: int
    field: str
    too_large: str
    not_an_image: str


INSPECTION_PHOTO = ImageRules(
    max_bytes=MAX_BYTES,
    field="photos",
    too_large=N_("%(file)s: larger than 10 MB"),
    not_an_image=N_("%(file)s: not a JPEG, PNG or WebP image"),
)


def sniff(data: bytes) -> ImageKind | None:
    """The kind of a JPEG, PNG or WebP by its magic bytes, else None."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _WEBP
    return None


def check_image(data: bytes, rules: ImageRules, **params: str) -> ImageKind:
    """The kind of an image at most `rules.max_bytes` long that is a JPEG, PNG or WebP.

    Raises ValidationError(field=rules.field) with the rules' wording otherwise.
    """
    if len(data) > rules.max_bytes:
        raise ValidationError(rules.too_large, field=rules.field, **params)
    kind = sniff(data)
    if kind is None:
        raise ValidationError(rules.not_an_image, field=rules.field, **params)
    return kind


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
    kind = check_image(data, INSPECTION_PHOTO, file=name or "photo")
    relative = Path("inspections") / str(inspection_id) / (secrets.token_hex(16) + kind.suffix)
    target = upload_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    audit.set_actor(session, actor.user_id, actor.source)
    photo = InspectionPhoto(
        inspection_id=inspection_id,
        stored_path=relative.as_posix(),
        original_name=name,
        content_type=kind.content_type,
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
