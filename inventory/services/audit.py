"""Who is changing data: recorded by the history triggers through transaction settings."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so


def set_actor(session: so.Session, user_id: int | None, source: str) -> None:
    """Attribute every change in the session's current transaction to a user and a source.

    The settings are transaction-local (`set_config(..., true)`), so they can never leak
    to another request that reuses the pooled connection.
    """
    session.execute(
        sa.text(
            "SELECT set_config('inventory.user_id', :uid, true), "
            "set_config('inventory.source', :src, true)"
        ),
        {"uid": "" if user_id is None else str(user_id), "src": source},
    )
