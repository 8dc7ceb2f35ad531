"""`inventory serve`: run the web app (development server, or gunicorn in production)."""

from __future__ import annotations

import ipaddress
import os
import sys

import click

from inventory.cli.common import friendly_errors, make_app


def gunicorn_command(host: str, port: int, workers: int | None) -> list[str]:
    """The gunicorn command line for production: a few workers per core, bounded
    timeouts, and workers recycled now and then so a slow leak can never pile up."""
    workers = workers or min(2 * (os.cpu_count() or 1) + 1, 9)
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "2",
        "--timeout",
        "60",
        "--graceful-timeout",
        "30",
        "--keep-alive",
        "5",
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--forwarded-allow-ips",
        "127.0.0.1",
        "inventory:create_app()",
    ]


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach an app listening on `host`."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def forced_settings(host: str, production: bool) -> dict[str, object]:
    """What the command line decides whatever the environment says: `--production` is
    production, and an address beyond the loopback refuses the placeholder secret and
    weak (demo) passwords (inventory.config.load)."""
    forced: dict[str, object] = {}
    if production:
        forced["ENV"] = "production"
    if not is_loopback(host):
        forced["LISTENS_BEYOND_LOOPBACK"] = True
    return forced


@click.command(help="Serve the app; --production runs gunicorn (see deploy/).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--production", is_flag=True, help="Run under gunicorn with several workers.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="gunicorn workers (default 2 × cores + 1, at most 9).",
)
@friendly_errors
def serve(host: str, port: int, production: bool, workers: int | None) -> None:
    forced = forced_settings(host, production)
    app = make_app(forced)  # fails here, with a clear message, on unsafe settings
    if production:
        command = gunicorn_command(host, port, workers)
        click.echo(f"Serving with gunicorn on http://{host}:{port}/")
        # The workers build their own app from the environment: hand them what was forced.
        environment = {f"INVENTORY_{key}": str(value).lower() for key, value in forced.items()}
        os.execve(command[0], command, {**os.environ, **environment})
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
