"""The inventory in numbers: what is in it, per municipality (`/` is the public map)."""

from __future__ import annotations

from flask import Blueprint, render_template

from inventory.database import get_public_session
from inventory.i18n import current_language
from inventory.services import stats
from inventory.services.public.places import municipality_names

bp = Blueprint("main", __name__)


@bp.get("/stats")
def stats_page():
    session = get_public_session()
    language = current_language()
    names = municipality_names(session, language)
    return render_template(
        "home.html", counts=stats.inventory_counts(session), municipality_names=names
    )
