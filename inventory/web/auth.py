"""Sign-in support shared by the web and API layers."""
from __future__ import annotations

from inventory.database import get_session
from inventory.models import User


def load_user_for_login(user_id: str) -> User | None:
    """Flask-Login's loader: the active user with this id, or None."""
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    return user if user is not None and user.active else None
