"""`inventory demo`: load the demo data of Osh, Jalal-Abad and Nookat."""

from __future__ import annotations

from pathlib import Path

import click

from inventory.cli.common import friendly_errors, make_app


@click.command(help="Load the demo data (data/demo) and create the demo users.")
@click.option(
    "--folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder made by the demo generator (default data/demo).",
)
@friendly_errors
def demo(folder: Path | None) -> None:
    from inventory.database import session_scope
    from inventory.services.demo import DEMO_DIR, load_demo
    from inventory.services.imports import ImportFailed

    app = make_app()
    password = app.config.get("DEMO_PASSWORD")
    if not password:
        raise click.ClickException(
            "Demo users need INVENTORY_DEMO_PASSWORD in production (the default 'demo' is "
            "allowed only outside production)."
        )
    try:
        with app.app_context(), session_scope(app) as session:
            load_demo(session, folder or DEMO_DIR, password=password, progress=click.echo)
    except ImportFailed as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        "Demo users: admin, officer-osh, officer-jalalabad, auditor "
        "(password from INVENTORY_DEMO_PASSWORD, default 'demo')."
    )
