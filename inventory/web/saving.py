"""The end of every page that changes records: commit what the service did, or undo it
and tell the user why, in their language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy.orm as so
from flask import flash
from flask_babel import lazy_gettext as _l

from inventory.services.errors import Conflict, ValidationError

#: What the user reads when a change is refused, unless the page says more.
NOT_SAVED = _l("Not saved: %(reason)s")


def commit_or_flash(
    session: so.Session, work: Callable[[], Any], *, done: Any, refused: Any = NOT_SAVED
) -> bool:
    """Run `work` (a service call); commit and flash `done` when it succeeds. When the
    service refuses (invalid input, a stale version, a duplicate) roll everything back and
    flash `refused` with the reason as `%(reason)s`. Whether the change was saved."""
    try:
        work()
    except (ValidationError, Conflict) as exc:
        session.rollback()
        flash(refused % {"reason": exc.localized()}, "error")
        return False
    session.commit()
    flash(str(done), "info")
    return True
