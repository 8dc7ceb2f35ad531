"""The snapshot folder: every download written at once, with a manifest.

`inventory opendata` calls `write_snapshot`; the `/opendata` page reads the manifest
with `read_snapshot` and serves the files as they are. The manifest says when the data
last changed (the data date), when the files were made (both in Bishkek time, ISO 8601
with the offset +06:00), and each file's size and rows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services import localtime
from inventory.services.opendata import export, ocds
from inventory.services.public.layers import DOWNLOADS, LAYERS

MANIFEST = "manifest.json"
OCDS_FILE = "ocds-releases.json"
ALL = "all"

#: Tables whose rows the files are made of: their latest change is the data date.
_DATA_TABLES = ("parcel", "building", "lessee", "lease_contract", "economic_zone", "municipality")


@dataclass(frozen=True)
class SnapshotFile:
    name: str
    dataset: str
    format: str
    municipality: str
    size: int
    rows: int | None


@dataclass(frozen=True)
class Snapshot:
    data_date: str | None
    generated_at: str
    files: list[SnapshotFile]


def data_date(session: so.Session) -> dt.datetime | None:
    """When anything published last changed (None for an empty inventory)."""
    parts = ", ".join(f"(SELECT max(updated_at) FROM {table})" for table in _DATA_TABLES)
    return session.execute(sa.text(f"SELECT greatest({parts})")).scalar()


def file_name(dataset: str, municipality: str, fmt: str) -> str:
    return f"{dataset}-{municipality}{export.FORMATS[fmt]}"


def write_snapshot(
    session: so.Session, folder: Path, *, prefix: str, licence: str, base_url: str
) -> Snapshot:
    """Write every dataset, per municipality and for all, in every format, the OCDS
    package and the manifest (last, so a reader never sees a manifest of missing files)."""
    folder.mkdir(parents=True, exist_ok=True)
    slugs = list(session.scalars(sa.text("SELECT slug FROM municipality ORDER BY slug")))
    files: list[SnapshotFile] = []
    for dataset in DOWNLOADS:
        for municipality in [ALL, *slugs]:
            for fmt in export.FORMATS:
                name = file_name(dataset, municipality, fmt)
                rows = export.write(
                    session,
                    LAYERS[dataset],
                    fmt,
                    folder / name,
                    None if municipality == ALL else municipality,
                )
                files.append(
                    SnapshotFile(
                        name, dataset, fmt, municipality, (folder / name).stat().st_size, rows
                    )
                )
    changed = data_date(session) or dt.datetime.now(dt.UTC)
    write_ocds_file(
        session, folder, prefix=prefix, licence=licence, base_url=base_url, published=changed
    )
    files.append(
        SnapshotFile(OCDS_FILE, "contracts", "ocds", ALL, (folder / OCDS_FILE).stat().st_size, None)
    )
    snapshot = Snapshot(
        data_date=localtime.iso(changed),
        generated_at=localtime.iso(localtime.now()),
        files=files,
    )
    manifest = {
        "data_date": snapshot.data_date,
        "generated_at": snapshot.generated_at,
        "licence": licence,
        "files": [f.__dict__ for f in files],
    }
    (folder / (MANIFEST + ".part")).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    os.replace(folder / (MANIFEST + ".part"), folder / MANIFEST)
    return snapshot


def write_ocds_file(
    session: so.Session,
    folder: Path,
    *,
    prefix: str,
    licence: str,
    base_url: str,
    published: dt.datetime,
) -> Path:
    """Write the OCDS release package of every contract to `folder`/OCDS_FILE.

    Written under a name of its own first and then renamed, so a reader (or a download
    in progress) never sees half a file, even with another writer at work.
    """
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{OCDS_FILE}.{os.getpid()}.{threading.get_ident()}.part"
    try:
        with partial.open("w", encoding="utf-8") as out:
            for chunk in ocds.package_chunks(
                session,
                prefix=prefix,
                licence=licence,
                uri=f"{base_url}/opendata/files/{OCDS_FILE}",
                extension_url=f"{base_url}/opendata/ocds/extension/extension.json",
                published=published,
            ):
                out.write(chunk)
        os.replace(partial, folder / OCDS_FILE)
    finally:
        partial.unlink(missing_ok=True)
    return folder / OCDS_FILE


def read_snapshot(folder: Path) -> Snapshot | None:
    """The snapshot in `folder`, or None when none was written yet. Files listed in the
    manifest but gone from the folder are left out."""
    try:
        manifest = export.read_json(folder / MANIFEST)
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    files = [
        SnapshotFile(**entry) for entry in manifest["files"] if (folder / entry["name"]).is_file()
    ]
    return Snapshot(manifest["data_date"], manifest["generated_at"], files)
