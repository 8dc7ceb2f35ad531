"""Refusing hostile upload files before any reader opens them.

An import file comes from outside: it may be far larger than announced, a zip bomb
(tiny archive, gigabytes inside) or an archive whose names climb out of the folder
(`../../etc/passwd`). Each check raises ValidationError(field="file") with a reason an
officer can read; nothing is extracted or parsed before the checks pass.
"""

from __future__ import annotations

import secrets
import shutil
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from inventory.services.errors import ValidationError

#: Unpacked size of all members of an archive, at most.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
#: Unpacked size / packed size of any member, at most. Real shapefiles compress ~3-10x.
MAX_RATIO = 100
#: Members of an archive, at most (a shapefile has 4-8).
MAX_MEMBERS = 200
#: Unpacked size of an XLSX workbook (a zip archive of XML), at most. openpyxl parses
#: all of it in Python at about 1 MB a second, so a workbook gets a tighter bound than a
#: shapefile archive: 50 MB of sheet XML is some 250,000 register rows.
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
#: The suffixes of files that are zip archives, with the unpacked size each may reach.
ZIPPED = {".zip": MAX_UNPACKED_BYTES, ".xlsx": MAX_XLSX_UNPACKED_BYTES}
#: File name suffixes an import may have.
ALLOWED_SUFFIXES = {".geojson", ".json", ".gpkg", ".zip", ".kml", ".csv", ".txt", ".xlsx"}


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def stored_name(filename: str, suffix: str) -> str:
    """The upload's own base name, as its owner knows it ("Участки Ош 2024.zip"), made
    safe to keep: no folders, only letters, digits, spaces and `._-()`, at most 80
    characters before the (checked, lower-case) suffix; "upload" when nothing is left."""
    base = PurePosixPath(str(filename or "").replace("\\", "/")).name
    stem = base[: -len(suffix)] if suffix and base.lower().endswith(suffix) else base
    kept = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in stem)
    kept = " ".join(kept.split()).strip(" .")[:80].strip(" .")
    return f"{kept or 'upload'}{suffix}"


def save_upload(stream: BinaryIO, filename: str, folder: Path, max_bytes: int) -> Path:
    """Copy an uploaded stream into a new random sub-folder of `folder`.

    The name kept is the upload's own base name made safe (`stored_name`), so reports
    name the file as its owner knows it; only its suffix is trusted. Copying stops
    (and the partial file is removed) as soon as `max_bytes` is passed, whatever the
    client announced.
    """
    suffix = Path(filename or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(
            "unsupported file type '%(suffix)s'; send one of %(allowed)s",
            field="file",
            suffix=suffix or filename,
            allowed=", ".join(sorted(ALLOWED_SUFFIXES)),
        )
    target_dir = folder / secrets.token_hex(16)
    target_dir.mkdir(parents=True)
    target = target_dir / stored_name(filename, suffix)
    written = 0
    with target.open("wb") as out:
        while chunk := stream.read(1024 * 1024):
            written += len(chunk)
            if written > max_bytes:
                out.close()
                shutil.rmtree(target_dir, ignore_errors=True)
                raise ValidationError(
                    "the file is larger than the limit of %(limit)s",
                    field="file",
                    limit=_mb(max_bytes),
                )
            out.write(chunk)
    if written == 0:
        shutil.rmtree(target_dir, ignore_errors=True)
        raise ValidationError("the file is empty", field="file")
    return target


def check_file(path: Path, max_bytes: int | None = None) -> None:
    """Refuse a file over `max_bytes`, and any unsafe zip archive, XLSX workbooks
    included (see check_archive)."""
    if max_bytes is not None and path.stat().st_size > max_bytes:
        raise ValidationError(
            "%(file)s: larger than the limit of %(limit)s",
            field="file",
            file=path.name,
            limit=_mb(max_bytes),
        )
    check_archive(path)


def check_archive(path: Path) -> None:
    """check_zip for every file that is a zip archive (`ZIPPED`: a .zip of shapefiles,
    an .xlsx workbook), with its own bound on the unpacked size; other files pass. The
    readers call it before they open a file, so no path reads an unchecked archive."""
    limit = ZIPPED.get(path.suffix.lower())
    if limit is not None:
        check_zip(path, max_total=limit)


def check_zip(path: Path, max_total: int = MAX_UNPACKED_BYTES, max_ratio: int = MAX_RATIO) -> None:
    """Refuse archives that escape their folder, unpack too large or compress too well.

    Sizes come from the archive's directory; the readers decompress through GDAL's
    /vsizip, which stops at the sizes declared there, so lying headers gain nothing.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(
            "%(file)s: not a readable zip archive (%(reason)s)",
            field="file",
            file=path.name,
            reason=exc,
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ValidationError(
                "%(file)s: %(count)s files in the archive (at most %(limit)s)",
                field="file",
                file=path.name,
                count=len(members),
                limit=MAX_MEMBERS,
            )
        total = 0
        for info in members:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or ":" in info.filename:
                raise ValidationError(
                    "%(file)s: the archive holds a path leaving its folder ('%(member)s')",
                    field="file",
                    file=path.name,
                    member=info.filename,
                )
            total += info.file_size
            ratio = info.file_size // max(info.compress_size, 1)
            # Tiny members may compress extremely well without harm; big ones may not.
            if ratio > max_ratio and info.file_size > 1024 * 1024:
                raise ValidationError(
                    "%(file)s: '%(member)s' unpacks %(ratio)s times larger than it "
                    "is packed (a zip bomb?); at most %(limit)s",
                    field="file",
                    file=path.name,
                    member=info.filename,
                    ratio=ratio,
                    limit=max_ratio,
                )
        if total > max_total:
            raise ValidationError(
                "%(file)s: unpacks to %(total)s, more than %(limit)s (a zip bomb?)",
                field="file",
                file=path.name,
                total=_mb(total),
                limit=_mb(max_total),
            )
