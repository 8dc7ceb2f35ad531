"""The home page: what is in the inventory, per municipality."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, g, render_template

from inventory.database import get_session
from inventory.models import Municipality
from inventory.services import stats

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    session = get_session()
    names = {m.slug: m.name(g.get("language", "ru"))
             for m in session.scalars(sa.select(Municipality))}
    return render_template("home.html", counts=stats.inventory_counts(session),
                           municipality_names=names)
