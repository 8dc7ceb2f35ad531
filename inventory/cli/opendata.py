"""`inventory opendata`: write the open-data snapshot that /opendata serves."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.cli.common import friendly_errors, make_app


@click.command(
    help="Write the open-data files (GeoJSON, GeoPackage, Shapefile, CSV, OCDS) "
    "into VAR_DIR/opendata, or DIR."
)
@click.option(
    "--output",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (default: VAR_DIR/opendata).",
)
@click.option(
    "--base-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The public address of the app, for links inside the files.",
)
@friendly_errors
def opendata(output: Path | None, base_url: str) -> None:
    from inventory.database import session_scope
    from inventory.services.opendata.snapshot import write_snapshot

    app = make_app()
    folder = output or Path(app.config["VAR_DIR"]) / "opendata"
    with app.app_context(), session_scope(app) as session:
        snapshot = write_snapshot(
            session,
            folder,
            prefix=app.config["OCDS_OCID_PREFIX"],
            licence=app.config["OPENDATA_LICENCE"],
            base_url=base_url.rstrip("/"),
        )
    click.echo(f"{len(snapshot.files)} files written to {folder} (data of {snapshot.data_date})")
