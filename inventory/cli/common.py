"""What the commands share: settings, the app, and turning errors into clear messages."""

from __future__ import annotations

import functools
import sys

import click

from inventory import config as config_module
from inventory.database.embedded import EmbeddedDatabaseError
from inventory.services.errors import DomainError


def settings() -> dict:
    try:
        return config_module.load()
    except config_module.ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def make_app(overrides: dict | None = None):
    from inventory.factory import create_app

    try:
        return create_app(overrides)
    except (config_module.ConfigError, EmbeddedDatabaseError) as exc:
        raise click.ClickException(str(exc)) from exc


def friendly_errors(fn):
    """Report known failures as one clear message and exit status 1, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import sqlalchemy.exc as sa_exc

        try:
            return fn(*args, **kwargs)
        except (EmbeddedDatabaseError, DomainError, config_module.ConfigError) as exc:
            raise click.ClickException(str(exc)) from exc
        except sa_exc.OperationalError as exc:
            click.echo(
                "The database is not reachable: " + str(exc.orig).strip().splitlines()[0], err=True
            )
            click.echo(
                "Start the embedded one with `inventory db up`, or check DATABASE_URL.", err=True
            )
            sys.exit(1)

    return wrapper
