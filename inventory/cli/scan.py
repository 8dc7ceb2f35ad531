"""`inventory scan`: run the anomaly rules and keep the flags in step with the data."""

from __future__ import annotations

import datetime as dt
import json

import click

from inventory.cli.common import friendly_errors, make_app

_COLUMNS = ("new", "still_open", "reopened", "auto_resolved")


def _date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2026-11-01") from None


@click.command(
    help="Run the anomaly rules and update the flags (new, still open, reopened, auto-resolved)."
)
@click.option("--municipality", metavar="SLUG", help="Only this municipality (e.g. osh).")
@click.option(
    "--as-of",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="The day the scan judges (default: today).",
)
@click.option(
    "--rule",
    "rules",
    multiple=True,
    metavar="CODE",
    help="Only this rule; repeat for several (default: all).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly_errors
def scan(
    municipality: str | None, as_of: dt.date | None, rules: tuple[str, ...], as_json: bool
) -> None:
    from inventory.database import session_scope
    from inventory.services import anomalies, audit

    app = make_app()
    with app.app_context(), session_scope(app) as session:
        audit.set_actor(session, None, "scan")
        result = anomalies.scan(
            session,
            as_of=as_of,
            municipality=municipality,
            rules=rules or None,
            settings=app.config,
        )
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    click.echo(
        f"Anomaly scan as of {result.as_of}" + (f" in {municipality}" if municipality else "")
    )
    click.echo(f"{'rule':28}" + "".join(f"{c.replace('_', ' '):>15}" for c in _COLUMNS))
    for code, counts in result.rules.items():
        click.echo(f"{code:28}" + "".join(f"{getattr(counts, c):>15}" for c in _COLUMNS))
    total = result.total
    click.echo(f"{'total':28}" + "".join(f"{getattr(total, c):>15}" for c in _COLUMNS))
