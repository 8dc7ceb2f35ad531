"""Who may read and write what: the one place the role rules live.

- admin: reads and writes everything;
- officer: reads and writes the records of their own municipality only;
- auditor: reads everything, writes nothing.

Services receive an `Actor` (a plain value, no Flask) and call these functions before
touching data; a refusal is `Forbidden`, which the web layer answers with 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from inventory.models import Role, User
from inventory.services.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the services see it."""

    user_id: int
    role: Role
    municipality_id: int | None = None
    #: Where changes come from, recorded in the history: "api", "ui", "cli"...
    source: str = "api"

    @classmethod
    def of(cls, user: User, source: str = "api") -> Actor:
        return cls(
            user_id=user.id,
            role=Role(user.role),
            municipality_id=user.municipality_id,
            source=source,
        )


def readable_municipality(actor: Actor) -> int | None:
    """The one municipality this actor is confined to when reading, or None for all."""
    return actor.municipality_id if actor.role == Role.OFFICER else None


def can_read(actor: Actor, municipality_id: int | None) -> bool:
    """Admins and auditors read everything; officers read their own municipality."""
    if actor.role in (Role.ADMIN, Role.AUDITOR):
        return True
    return actor.role == Role.OFFICER and municipality_id == actor.municipality_id


def can_write(actor: Actor, municipality_id: int | None) -> bool:
    """Admins write everything; officers their own municipality; auditors nothing."""
    if actor.role == Role.ADMIN:
        return True
    return (
        actor.role == Role.OFFICER
        and municipality_id is not None
        and municipality_id == actor.municipality_id
    )


def require_read(actor: Actor, municipality_id: int | None) -> None:
    """Raise Forbidden unless the actor may read records of this municipality."""
    if not can_read(actor, municipality_id):
        raise Forbidden("your account may only see records of its own municipality")


def require_write(actor: Actor, municipality_id: int | None) -> None:
    """Raise Forbidden unless the actor may change records of this municipality."""
    if can_write(actor, municipality_id):
        return
    if actor.role == Role.AUDITOR:
        raise Forbidden("auditors may read records but not change them")
    raise Forbidden(
        "officers may only change records of their own municipality", field="municipality"
    )
