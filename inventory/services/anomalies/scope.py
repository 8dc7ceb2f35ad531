"""Which municipality a scan, a list of flags or a dashboard covers."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Municipality
from inventory.services.errors import NotFound


def municipality_id_of(session: so.Session, municipality: str | int | None) -> int | None:
    """The id of a municipality given by slug or id; NotFound if there is none."""
    if municipality is None:
        return None
    column = Municipality.id if isinstance(municipality, int) else Municipality.slug
    found = session.scalar(sa.select(Municipality.id).where(column == municipality))
    if found is None:
        raise NotFound("no municipality '%(slug)s'", field="municipality", slug=municipality)
    return found
