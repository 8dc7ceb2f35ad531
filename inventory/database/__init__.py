"""Database access: the URL to use, engines and sessions, the embedded cluster, migrations."""

from inventory.database.session import (  # noqa: F401
    database_url,
    get_autocommit_session,
    get_public_database,
    get_public_session,
    get_session,
    init_app,
    session_scope,
)
