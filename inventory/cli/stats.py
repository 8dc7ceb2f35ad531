"""`inventory stats`: how many records of each kind, overall and per municipality."""

from __future__ import annotations

import json

import click

from inventory.cli.common import friendly_errors, make_app


@click.command(help="Count parcels, buildings, contracts, payments and inspections.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly_errors
def stats(as_json: bool) -> None:
    from inventory.database import session_scope
    from inventory.services.stats import inventory_counts

    app = make_app()
    with app.app_context(), session_scope(app) as session:
        counts = inventory_counts(session)
    if as_json:
        click.echo(json.dumps(counts, indent=2, ensure_ascii=False))
        return
    kinds = list(counts["total"])
    click.echo(f"{'':14}" + "".join(f"{k:>13}" for k in kinds))
    for slug, row in counts["municipalities"].items():
        click.echo(f"{slug:14}" + "".join(f"{row[k]:>13}" for k in kinds))
    click.echo(f"{'total':14}" + "".join(f"{counts['total'][k]:>13}" for k in kinds))
