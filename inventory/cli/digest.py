"""`inventory digest`: send the daily e-mail digests (officers, and auditors who asked)."""

from __future__ import annotations

import datetime as dt
import json

import click

from inventory.cli.common import friendly_errors, make_app


@click.command(
    help="Send today's e-mail digest to each officer (and auditor who opted in) through "
    "the SMTP server of the settings (SMTP_HOST, ...). Nobody gets the same day's digest twice."
)
@click.option("--dry-run", is_flag=True, help="Print the digests instead of sending them.")
@click.option("--base-url", metavar="URL", help="The app's address, for the link in the mail.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly_errors
def digest(dry_run: bool, base_url: str | None, as_json: bool) -> None:
    from inventory.database import session_scope
    from inventory.services.notifications import mail
    from inventory.services.notifications.sending import send_digests

    app = make_app()
    if not dry_run and not mail.configured(app.config):
        raise click.ClickException(
            "no mail server: set INVENTORY_SMTP_HOST and INVENTORY_SMTP_FROM (see "
            "inventory/config.py), or use --dry-run"
        )
    with app.app_context(), session_scope(app) as session:
        run = send_digests(
            session,
            app.config,
            base_url=base_url,
            today=dt.date.today(),
            dry_run=dry_run,
            echo=click.echo,
        )
    if as_json:
        click.echo(json.dumps(run.as_dict()))
    else:
        click.echo(f"sent {len(run.sent)}, nothing to tell {run.skipped}, failed {len(run.failed)}")
    if run.failed:
        raise SystemExit(1)
