"""Public pages beside the map: plots free to lease, and where the data comes from."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import render_template, request

from inventory.database import get_public_session
from inventory.i18n import current_language
from inventory.services.public import about, free
from webmap.blueprint import bp, municipality_places

#: Where the open-data downloads will live (built by another module; linked, not routed).
OPENDATA_PATH = "/opendata"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def _area_arg(name: str) -> Decimal | None:
    """A non-negative area from the query string, or None when absent or not a number.
    Written as the page writes areas too: "1 000", "1 000,5" (spaces group thousands)."""
    text = "".join(request.args.get(name, "").split()).replace("\u00a0", "")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


@bp.get("/free")
def free_page():
    """Plots free to lease, filtered by ?m= (municipality), ?use=, ?min_area=, ?max_area=."""
    session = get_public_session()
    wanted = free.FreeFilter(
        municipality=request.args.get("m") or None,
        use=request.args.get("use") or None,
        min_area=_area_arg("min_area"),
        max_area=_area_arg("max_area"),
        page=request.args.get("page", 1, type=int),
    )
    return render_template(
        "webmap/free.html",
        result=free.free_plots(session, wanted, current_language()),
        wanted=wanted,
        uses=free.land_uses(session, current_language()),
        municipalities=municipality_places(session),
    )


@bp.get("/about-data")
def about_data_page():
    """Sources, freshness, licence and masking of the published data."""
    return render_template(
        "webmap/about_data.html",
        summary=about.data_summary(get_public_session()),
        opendata_path=OPENDATA_PATH,
        licence_url=LICENCE_URL,
    )
