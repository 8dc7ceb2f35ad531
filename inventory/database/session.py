"""Engines and sessions.

The app keeps one engine and one session factory (in `app.extensions`); each request gets
its own session, closed at the end of the request. Services never open sessions: they
take one from their caller (a view, the CLI or a test).

Public reads (the map, tiles, search, parcel cards, free plots, the OGC API, open data)
take their session from `get_public_session()`. When PUBLIC_DATABASE_URL is set it is a
second engine, on a read replica or a role with SELECT only, whose transactions are
read-only as well; otherwise it is the request's ordinary session.

Lone public reads on a hot path (a kept tile, a tile made on request) go through
`lone_read()` instead: a pool of its own whose connections are not pinged at checkout,
and one retry when the connection turns out dead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, current_app, g

from inventory.database.embedded import DEFAULT_PORT, Cluster

log = logging.getLogger(__name__)

EXTENSION_KEY = "inventory.db"
PUBLIC_EXTENSION_KEY = "inventory.db.public"
#: `info` key of the connections of lone reads that run with JIT off from their start
#: (see lone_read_engine); inventory.services.public.tiles reads it.
JIT_OFF = "jit_off"

T = TypeVar("T")


def embedded_cluster(settings: dict[str, Any]) -> Cluster:
    """The embedded cluster described by the settings.

    Without an explicit PG_PORT the port is the one this checkout's cluster was given
    when it was created (VAR_DIR/pgport), or the default for a new one.
    """
    var_dir = Path(settings["VAR_DIR"])
    bindir = Path(settings["PG_BINDIR"]) if settings.get("PG_BINDIR") else None
    if settings.get("PG_PORT"):
        return Cluster(var_dir=var_dir, port=int(settings["PG_PORT"]), bindir=bindir)
    remembered = var_dir / "pgport"
    port = int(remembered.read_text()) if remembered.exists() else DEFAULT_PORT
    return Cluster(var_dir=var_dir, port=port, bindir=bindir, port_is_automatic=True)


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(settings: dict[str, Any]) -> str:
    """The SQLAlchemy URL: DATABASE_URL when set, else the embedded cluster's database."""
    if settings.get("DATABASE_URL"):
        return normalise_url(settings["DATABASE_URL"])
    cluster = embedded_cluster(settings)
    if not cluster.password_file.exists():
        from inventory.database.embedded import EmbeddedDatabaseError

        raise EmbeddedDatabaseError(
            "No DATABASE_URL is set and the embedded PostGIS has not been created yet: "
            "run `inventory db up` first."
        )
    return cluster.url()


def make_engine(url: str, **kwargs: Any) -> sa.Engine:
    """An engine whose pool survives database restarts (pre-ping drops dead connections)."""
    kwargs.setdefault("pool_pre_ping", True)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("connect_args", {"connect_timeout": 5, "application_name": "inventory"})
    return sa.create_engine(url, **kwargs)


def lone_read_engine(
    url: str, connect_args: dict[str, Any], *, pgbouncer: bool, **kwargs: Any
) -> sa.Engine:
    """An engine for lone reads (see lone_read) beside a database's main engine: the same
    URL and connection arguments, a small pool of its own (a worker's threads each run
    one lone read at a time) whose connections are not pinged at checkout.

    Directly on PostgreSQL its connections also start with (startup options):
    - JIT off (marked JIT_OFF in the connection's `info`), so a tile that must not be
      JIT-compiled needs no transaction to say so;
    - generic plans for the statements psycopg prepares (after their fifth run): a
      tile's plan is the same whatever its box (an index scan on it, then key lookups),
      but PostgreSQL kept re-planning the parcel tile at every request, 0.8-0.9 ms, as
      long as running it at z17-18. Only statements of one plan shape belong here.
    PgBouncer refuses startup options (and the app prepares nothing through it): there
    JIT stays as configured and a tile turns it off inside its transaction."""
    args = dict(connect_args)
    if not pgbouncer:
        options = "-c jit=off -c plan_cache_mode=force_generic_plan"
        args["options"] = (args.get("options", "") + " " + options).strip()
    kwargs.setdefault("pool_size", 2)
    kwargs.setdefault("max_overflow", 3)
    engine = make_engine(url, pool_pre_ping=False, connect_args=args, **kwargs)
    if not pgbouncer:

        @sa.event.listens_for(engine, "connect")
        def _mark_jit_off(dbapi_connection: Any, record: Any) -> None:
            record.info[JIT_OFF] = True

    return engine


class Database:
    """The app's engine and session factory, and the engine of lone reads.

    `reads` is the engine of lone reads (lone_read_engine), the main engine when not
    given; `autocommit_reads` False keeps their transactions (a public engine behind
    PgBouncer, whose transactions are made read-only when they begin);
    `reads_without_jit` says their connections run with JIT off from the start.
    """

    def __init__(
        self,
        engine: sa.Engine,
        reads: sa.Engine | None = None,
        *,
        autocommit_reads: bool = True,
        reads_without_jit: bool = False,
    ):
        self.engine = engine
        self.read_engine = reads or engine
        self.sessionmaker = so.sessionmaker(bind=engine, expire_on_commit=False)
        #: Sessions on the engine of lone reads whose statements each commit on their
        #: own, with no BEGIN and COMMIT around them, where those would be two of a
        #: read's four round trips. Never for anything that must see one snapshot.
        #: Lone reads run on what it is bound to (see lone_read_bind).
        self.autocommit_sessionmaker = so.sessionmaker(
            bind=self.read_engine.execution_options(isolation_level="AUTOCOMMIT"),
            expire_on_commit=False,
        )
        self.autocommit_reads = autocommit_reads
        self.reads_without_jit = reads_without_jit

    def lone_read_bind(self) -> sa.Engine | sa.Connection:
        """What lone reads run on: the engine of lone reads, its statements each
        committing on their own unless `autocommit_reads` is off; a connection when
        autocommit_sessionmaker was bound to one (a test's rolled-back transaction)."""
        if not self.autocommit_reads:
            return self.read_engine
        return self.autocommit_sessionmaker.kw["bind"]

    def dispose(self) -> None:
        """Close every pooled connection of both engines."""
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


def make_public_engine(url: str, *, pgbouncer: bool = False, **kwargs: Any) -> sa.Engine:
    """An engine for public reads. Its transactions are read-only whatever the role may
    do, so a public page can never write, even when pointed at the main database.

    Directly on PostgreSQL every connection starts read-only (a startup option). Through
    PgBouncer, which refuses startup options and hands a connection to another client
    after each transaction, each transaction is made read-only when it begins instead.
    """
    kwargs.setdefault("connect_args", public_connect_args(pgbouncer))
    engine = make_engine(normalise_url(url), **kwargs)
    if pgbouncer:
        sa.event.listen(engine, "begin", _read_only_transaction)
    return engine


def _read_only_transaction(connection: sa.Connection) -> None:
    connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def public_connect_args(pgbouncer: bool) -> dict[str, Any]:
    """Connection arguments of the public engine (see make_public_engine)."""
    connect_args: dict[str, Any] = {"connect_timeout": 5, "application_name": "inventory-public"}
    if pgbouncer:
        connect_args["prepare_threshold"] = None
    else:
        connect_args["options"] = "-c default_transaction_read_only=on"
    return connect_args


def pgbouncer_connect_args() -> dict[str, Any]:
    """Connection arguments for PostgreSQL behind PgBouncer in transaction pooling: no
    server-side prepared statements (psycopg prepares a statement run five times, and the
    next transaction may land on a server connection that never saw it)."""
    return {"connect_timeout": 5, "application_name": "inventory", "prepare_threshold": None}


def init_app(app: Flask) -> None:
    """Create the engines lazily-connecting from the app's settings and close sessions."""
    url = app.config.get("SQLALCHEMY_URL") or database_url(app.config)
    pgbouncer = bool(app.config.get("PGBOUNCER"))
    connect_args = (
        pgbouncer_connect_args()
        if pgbouncer
        else {"connect_timeout": 5, "application_name": "inventory"}
    )
    app.extensions[EXTENSION_KEY] = Database(
        make_engine(url, connect_args=connect_args),
        lone_read_engine(url, connect_args, pgbouncer=pgbouncer),
        reads_without_jit=not pgbouncer,
    )
    if app.config.get("PUBLIC_DATABASE_URL"):
        public_url = normalise_url(app.config["PUBLIC_DATABASE_URL"])
        reads = lone_read_engine(public_url, public_connect_args(pgbouncer), pgbouncer=pgbouncer)
        if pgbouncer:
            sa.event.listen(reads, "begin", _read_only_transaction)
        app.extensions[PUBLIC_EXTENSION_KEY] = Database(
            make_public_engine(public_url, pgbouncer=pgbouncer),
            reads,
            # Read-only comes with each connection directly on PostgreSQL, with each
            # transaction through PgBouncer: there lone reads keep their transaction.
            autocommit_reads=not pgbouncer,
            reads_without_jit=not pgbouncer,
        )

    @app.teardown_appcontext
    def _close_session(exc: BaseException | None) -> None:
        for name in ("db_session", "public_db_session", "autocommit_db_session"):
            session = g.pop(name, None)
            if session is not None:
                _close_quietly(session, rollback=exc is not None)


def _close_quietly(session: so.Session, rollback: bool) -> None:
    """End a request's session even when the database went away after the answer was
    made (a restart): what the request wrote is committed already or was never meant to
    be, and the broken connection leaves the pool. Raising here, after the view, would
    turn a finished answer into a bare 500 that no error handler sees."""
    try:
        if rollback:
            session.rollback()
        session.close()
    except sa.exc.DBAPIError as error:
        log.warning(
            "database connection lost while ending the request: %s",
            str(getattr(error, "orig", error)).strip().splitlines()[0][:300],
        )
        session.invalidate()


def get_database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions[EXTENSION_KEY]


def get_session() -> so.Session:
    """The session of the current request (or app context), created on first use."""
    if "db_session" not in g:
        g.db_session = get_database().sessionmaker()
    return g.db_session


def get_autocommit_session() -> so.Session:
    """The request's session on the main database whose statements run outside any
    transaction (Database.autocommit_sessionmaker), created on first use."""
    if "autocommit_db_session" not in g:
        g.autocommit_db_session = get_database().autocommit_sessionmaker()
    return g.autocommit_db_session


def get_public_database(app: Flask | None = None) -> Database | None:
    """The engine of public reads, or None when they use the main database."""
    return (app or current_app).extensions.get(PUBLIC_EXTENSION_KEY)


def get_public_session() -> so.Session:
    """The session for public reads of the current request: on PUBLIC_DATABASE_URL when
    set (read-only), else the request's ordinary session. Never write through it."""
    public = get_public_database()
    if public is None:
        return get_session()
    if "public_db_session" not in g:
        g.public_db_session = public.sessionmaker()
    return g.public_db_session


def lone_read(read: Callable[[sa.Connection], T], database: Database | None = None) -> T:
    """`read(connection)` on a connection of lone reads of `database` (the main one when
    not given, see Database.lone_read_bind), back in its pool when this returns.

    For one read-only statement on a hot path (a kept tile, a tile made on request) whose
    plan does not depend on its parameters (see lone_read_engine), run
    on a Core connection rather than a session (no unit of work to set up for one
    SELECT). Their pool does not ping a connection at checkout (a `SELECT 1` per request,
    on a busy machine as long as a small tile's own statement), so a connection the
    database dropped since its last use (a restart, a terminated backend) is found dead
    by the read itself. SQLAlchemy then flags the error as a disconnect and invalidates
    the pool, and `read` runs once more on a new connection: at most one retry, and only
    for reads, which may run twice without changing anything. Any other error, or a
    second failure, is raised as it is.
    """
    bind = (database or get_database()).lone_read_bind()
    for attempt in (1, 2):
        try:
            if isinstance(bind, sa.Connection):
                return read(bind)
            with bind.connect() as connection:
                return read(connection)
        except sa.exc.DBAPIError as error:
            if attempt == 2 or not error.connection_invalidated:
                raise
            log.info("a pooled connection was dropped by the database: read again on a new one")
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def session_scope(app: Flask | None = None) -> Iterator[so.Session]:
    """A session that commits on success and rolls back on error (CLI and jobs)."""
    session = get_database(app).sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
