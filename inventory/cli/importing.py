"""`inventory import KIND FILE`: the same import as the wizard and the API, from a shell."""

from __future__ import annotations

import json
from pathlib import Path

import click

from inventory.cli.common import friendly_errors, make_app

KIND_CHOICES = (
    "parcels",
    "buildings",
    "lessees",
    "contracts",
    "payments",
    "statements",
    "inspections",
)


@click.command(
    "import",
    help="Import a file of KIND records (all rows or none). "
    "Example: inventory import parcels parcels.zip "
    "--municipality osh --crs 7693 --dry-run",
)
@click.argument("kind", type=click.Choice(KIND_CHOICES))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--municipality",
    metavar="SLUG",
    required=True,
    help="The municipality the rows belong to (osh, jalal-abad, nookat).",
)
@click.option(
    "--crs",
    metavar="EPSG",
    help="Coordinate system when the file has no .prj (4326, 7693, 7694, 28413, 28412, 3857).",
)
@click.option(
    "--encoding",
    help="DBF/CSV encoding when there is no .cpg (utf-8, cp1251, "
    "cp866, koi8-r); detected when left out.",
)
@click.option(
    "--columns",
    "columns",
    multiple=True,
    metavar="FIELD=HEADER",
    help="The file's header for a field its name does not give away, e.g. "
    "--columns ident_code=Кад_номер (repeat for more).",
)
@click.option(
    "--default",
    "defaults",
    multiple=True,
    metavar="FIELD=VALUE",
    help="A value for every row whose cell is empty or that lacks the column, e.g. "
    "--default basis=decision (repeat for more).",
)
@click.option(
    "--values",
    "values",
    multiple=True,
    metavar="FIELD:VALUE=CODE",
    help="The code of a value the names and synonyms do not give, e.g. "
    "--values 'status:занят=leased' (repeat for more; remembered for the municipality).",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@friendly_errors
def import_file(
    kind: str,
    file: Path,
    municipality: str,
    crs: str | None,
    encoding: str | None,
    columns: tuple[str, ...],
    defaults: tuple[str, ...],
    values: tuple[str, ...],
    dry_run: bool,
    as_json: bool,
) -> None:
    from inventory.database import session_scope
    from inventory.models import Role
    from inventory.services.imports import progress, wizard
    from inventory.services.permissions import Actor

    app = make_app()
    # The shell user owns the server: the import runs with an administrator's rights,
    # recorded in the history as source "import" with no user.
    actor = Actor(user_id=None, role=Role.ADMIN, source="cli")  # type: ignore[arg-type]
    with (
        app.app_context(),
        session_scope(app) as session,
        progress.reporting(_print_progress),
    ):
        report = wizard.import_for(
            session,
            actor,
            kind,
            file,
            municipality=municipality,
            crs=wizard.parse_crs(crs),
            encoding=wizard.parse_encoding(encoding),
            columns=wizard.parse_pairs(columns, "columns"),
            defaults=wizard.parse_pairs(defaults, "defaults"),
            values=wizard.parse_value_pairs(values),
            dry_run=dry_run,
            max_bytes=app.config["IMPORT_MAX_BYTES"],
            settings=app.config,
        )
        if not report.ok:
            session.rollback()
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.summary())
        for problem in report.problems[:200]:
            click.echo(f"  {problem.severity}: {problem}")
    if not report.ok:
        raise SystemExit(1)


#: What each step of an import is called on the terminal.
_STAGES = {
    "read": "rows read",
    "checked": "rows checked",
    "written": "rows written",
    "rechecked": "anomaly flags re-checked for rows",
}


def _print_progress(stage: str, done: int, total: int) -> None:
    """One line per step of the import, on stderr: --json output stays clean."""
    click.echo(f"{_STAGES.get(stage, stage)}: {done} of {total}", err=True)
