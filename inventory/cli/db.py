"""`inventory db up|down|status|upgrade`: the embedded PostGIS and the schema."""

from __future__ import annotations

import json

import click

from inventory.cli.common import friendly_errors, settings
from inventory.database import embedded, migrate
from inventory.database.session import database_url, embedded_cluster


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.group(help="Manage the database: the embedded PostGIS and migrations.")
def db() -> None:
    pass


@db.command(help="Create (first time) and start the embedded PostGIS.")
@friendly_errors
def up() -> None:
    cfg = settings()
    if cfg.get("DATABASE_URL"):
        url = database_url(cfg)
        _check_external(url)
        click.echo(f"DATABASE_URL is set: using {_redact(url)}; nothing to start.")
        return
    click.echo(embedded.up(embedded_cluster(cfg)))


def _check_external(url: str) -> None:
    import sqlalchemy as sa

    from inventory.database.session import make_engine

    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            version = conn.execute(
                sa.text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            ).scalar()
    finally:
        engine.dispose()
    if version is None:
        click.echo(
            "Note: PostGIS is not enabled in that database yet; `inventory db upgrade` "
            "will run CREATE EXTENSION postgis (it needs the right to do so)."
        )


@db.command(help="Stop the embedded PostGIS (data is kept).")
@friendly_errors
def down() -> None:
    cfg = settings()
    if cfg.get("DATABASE_URL"):
        click.echo("DATABASE_URL is set: the embedded PostGIS is not in use; nothing to stop.")
        return
    click.echo(embedded.down(embedded_cluster(cfg)))


@db.command(help="Show where the database is and whether it runs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly_errors
def status(as_json: bool) -> None:
    cfg = settings()
    if cfg.get("DATABASE_URL"):
        info: dict = {"mode": "external", "url": _redact(database_url(cfg))}
    else:
        info = embedded.status(embedded_cluster(cfg))
    if info.get("running", True):
        try:
            info["schema_revision"] = migrate.current_revision(database_url(cfg))
        except Exception as exc:  # status must still print when the database is down
            info["error"] = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            click.echo(f"{key:16} {value}")


@db.command(help="Apply the migrations and the reference tables (idempotent).")
@friendly_errors
def upgrade() -> None:
    from inventory.database.session import make_engine
    from inventory.services import reference

    cfg = settings()
    url = database_url(cfg)
    migrate.upgrade(url)
    engine = make_engine(url)
    import sqlalchemy.orm as so

    with so.Session(engine) as session, session.begin():
        counts = reference.ensure_reference_data(session)
    engine.dispose()
    click.echo(
        f"Schema at revision {migrate.current_revision(url)}; reference tables: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + "."
    )
