"""`inventory backup` and `inventory restore`: the database and uploads in one file."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.cli.common import friendly_errors, settings


@click.command(help="Write a consistent backup (database + uploads + manifest) to a folder.")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for backups (default var/backups).",
)
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    default=None,
    help="Keep only the newest N backups in the folder.",
)
@friendly_errors
def backup(output: Path | None, keep: int | None) -> None:
    from inventory.database.backup import create_backup
    from inventory.database.session import database_url

    cfg = settings()
    out = output or Path(cfg["VAR_DIR"]) / "backups"
    info = create_backup(database_url(cfg), Path(cfg["UPLOAD_DIR"]), out, keep=keep)
    tables = info.manifest["tables"]
    click.echo(
        f"Wrote {info.path} ({info.path.stat().st_size // 1024} KiB): "
        f"{len(tables)} tables, {sum(t['rows'] for t in tables.values())} rows, "
        f"{len(info.manifest['files']) - 1} uploaded files."
    )
    for path in info.manifest["missing_files"]:
        click.echo(f"Warning: {path} is named by the database but missing from the uploads.")


@click.command(help="Restore a backup into an empty database (checksums are checked first).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@friendly_errors
def restore(file: Path) -> None:
    from inventory.database.backup import restore_backup
    from inventory.database.session import database_url

    cfg = settings()
    manifest = restore_backup(file, database_url(cfg), Path(cfg["UPLOAD_DIR"]))
    click.echo(
        f"Restored the backup of {manifest['created_at']} (schema "
        f"{manifest['schema_revision']}). Run `inventory db upgrade` if this version "
        "of the platform is newer."
    )
