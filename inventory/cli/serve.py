"""`inventory serve`: run the web app."""
from __future__ import annotations

import click

from inventory.cli.common import friendly_errors, make_app


@click.command(help="Serve the app (development server; see deploy/ for production).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@friendly_errors
def serve(host: str, port: int) -> None:
    app = make_app()
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
