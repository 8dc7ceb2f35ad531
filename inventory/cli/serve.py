"""`inventory serve`: run the web app (development server, or gunicorn in production)."""

from __future__ import annotations

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
    app = make_app()  # fails here, with a clear message, on unsafe settings
    if production:
        command = gunicorn_command(host, port, workers)
        click.echo(f"Serving with gunicorn on http://{host}:{port}/")
        os.execv(command[0], command)
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
