"""The app served on 127.0.0.1 over a committed throwaway database, for tests whose client
speaks HTTP itself: a real browser, GDAL, OWSLib, libcoveocds."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.serving import WSGIRequestHandler, make_server

from inventory.database.session import make_engine
from inventory.factory import create_app
from tests.conftest import throwaway_database


class OneRequestPerConnection(WSGIRequestHandler):
    # GDAL keeps connections alive; the development server then waits on the idle
    # socket instead of the next request. One request per connection avoids that.
    protocol_version = "HTTP/1.0"


@dataclass
class Served:
    """Where the app answers, and the database it serves."""

    base: str
    database_url: str


@contextlib.contextmanager
def serving(
    fill: Callable[[so.Session], object],
    tmp_path_factory,
    *,
    settings: dict | None = None,
    request_handler: type[WSGIRequestHandler] | None = None,
) -> Iterator[Served]:
    """Fill a new database with `fill(session)` (committed), serve the app over it on a
    free port, and drop both afterwards."""
    with throwaway_database() as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        with so.Session(engine) as session, session.begin():
            fill(session)
        engine.dispose()
        app = create_app(
            {
                "ENV": "test",
                "SQLALCHEMY_URL": url,
                "SECRET_KEY": "test-" + uuid.uuid4().hex,
                "VAR_DIR": str(tmp_path_factory.mktemp("var")),
                **(settings or {}),
            }
        )
        options = {"request_handler": request_handler} if request_handler else {}
        server = make_server("127.0.0.1", 0, app, threaded=True, **options)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Served(f"http://127.0.0.1:{server.server_port}", url)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            app.extensions["inventory.db"].engine.dispose()
