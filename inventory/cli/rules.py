"""`inventory rules`: the anomaly rules, as the README's table."""

from __future__ import annotations

import click


@click.command(
    help="Print the anomaly rules as the README's Markdown table (thresholds at their "
    "documented defaults)."
)
def rules() -> None:
    from inventory.services.anomalies.rules import markdown_table

    click.echo(markdown_table(), nl=False)
