"""`inventory demo`: load the demo data of Osh, Jalal-Abad and Nookat."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.cli.common import friendly_errors, make_app


@click.command(
    help="Load the demo data (data/demo), create the demo users, scan it for anomalies and "
    "write its open-data files."
)
@click.option(
    "--folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder made by the demo generator (default data/demo).",
)
@click.option(
    "--base-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The public address of the app, for links inside the open-data files.",
)
@friendly_errors
def demo(folder: Path | None, base_url: str) -> None:
    from inventory.database import session_scope
    from inventory.services.demo import (
        DEMO_DIR,
        campaign_demo,
        load_demo,
        publish_demo,
        scan_demo,
    )
    from inventory.services.imports import ImportFailed

    app = make_app()
    password = app.config.get("DEMO_PASSWORD")
    if not password:
        raise click.ClickException(
            "Demo users need INVENTORY_DEMO_PASSWORD in production (the default 'demo' is "
            "allowed only outside production)."
        )
    folder = folder or DEMO_DIR
    try:
        with app.app_context(), session_scope(app) as session:
            load_demo(session, folder, password=password, progress=click.echo)
            if campaign_demo(session, folder, settings=app.config) is not None:
                click.echo("Review campaign: finished (/campaigns).")
            result = scan_demo(session, folder, settings=app.config)
        click.echo(f"Anomaly scan as of {result.as_of}: {result.total.found} anomalies found.")
        with app.app_context(), session_scope(app) as session:
            snapshot = publish_demo(session, app.config, base_url)
        click.echo(f"Open data: {len(snapshot.files)} files (/opendata).")
    except ImportFailed as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        "Demo users: admin, officer-osh, officer-jalalabad, auditor "
        "(password from INVENTORY_DEMO_PASSWORD, default 'demo')."
    )
