"""Auctions and feeds for residents: the /auctions page, the lot markers of the map, and
the Atom feeds of auctions, free plots and published reports (?municipality= for one
city). Each route reads one function of inventory.services.public and answers."""

from __future__ import annotations

from flask import Response, render_template, request, url_for
from flask_babel import gettext

from inventory.database import get_public_session
from inventory.i18n import current_language
from inventory.services.public import auctions, feeds
from webmap.blueprint import bp, municipality_places

ATOM_MIMETYPE = "application/atom+xml"
#: Seconds a feed reader or proxy may reuse a feed.
FEED_MAX_AGE = 300


def _municipality() -> str | None:
    return request.args.get("municipality") or request.args.get("m") or None


@bp.get("/auctions")
def auctions_page():
    """Lots announced (the coming e-auctions) and the results of those held."""
    wanted = _municipality()
    lots = auctions.public_lots(get_public_session(), current_language(), wanted)
    return render_template(
        "webmap/auctions.html",
        upcoming=[lot for lot in lots if lot.status == "announced"],
        held=[lot for lot in lots if lot.status != "announced"],
        municipalities=municipality_places(get_public_session()),
        wanted=wanted,
    )


@bp.get("/layers/lots.geojson")
def lots_geojson():
    """The announced lots as points, for the map's marker layer."""
    response = Response(
        auctions.lots_geojson(get_public_session(), current_language()),
        mimetype="application/geo+json",
    )
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    return response


def _feed(title: str, page_url: str, entries: list[feeds.Entry]) -> Response:
    wanted = _municipality()
    place = next(
        (p.name for p in municipality_places(get_public_session()) if p.slug == wanted), None
    )
    feed = feeds.Feed(
        title=f"{title}: {place}" if place else title,
        self_url=request.url,
        page_url=page_url,
        entries=entries,
        author=gettext("Municipal property office"),
    )
    response = Response(feeds.atom(feed), mimetype=ATOM_MIMETYPE)
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    return response


def _money(value) -> str:
    return f"{value:,.2f}".replace(",", " ")


@bp.get("/auctions.atom")
def auctions_feed():
    """Lots announced and auction results, as an Atom feed."""
    language = current_language()
    page = url_for("webmap.auctions_page", _external=True)
    entries = []
    for lot in auctions.public_lots(
        get_public_session(), language, _municipality(), limit=feeds.FEED_SIZE
    ):
        if lot.status == "announced":
            title = gettext(
                "Lot %(number)s: auction on %(date)s",
                number=lot.number,
                date=lot.auction_date.strftime("%d.%m.%Y"),
            )
            summary = gettext(
                "%(code)s, %(address)s (%(municipality)s): starting annual rent %(rent)s som, "
                "term %(months)s months. %(conditions)s",
                code=lot.code,
                address=lot.address or "—",
                municipality=lot.municipality_name,
                rent=_money(lot.starting_rent),
                months=lot.term_months,
                conditions=lot.conditions or "",
            )
        elif lot.status == "held":
            title = gettext("Lot %(number)s: auction held", number=lot.number)
            summary = gettext(
                "%(code)s (%(municipality)s): leased to %(winner)s for %(rent)s som a year.",
                code=lot.code,
                municipality=lot.municipality_name,
                winner=lot.winner_name or gettext("Private individual"),
                rent=_money(lot.final_rent),
            )
        else:
            title = gettext("Lot %(number)s: no bids", number=lot.number)
            summary = gettext(
                "%(code)s (%(municipality)s): nobody bid; the plot stays free to lease.",
                code=lot.code,
                municipality=lot.municipality_name,
            )
        entries.append(
            feeds.Entry(
                link=f"{page}#lot-{lot.id}", title=title, summary=summary, updated=lot.updated_at
            )
        )
    return _feed(gettext("Auctions of municipal property"), page, entries)


@bp.get("/free.atom")
def free_feed():
    """Plots free to lease, the most recently freed or offered first, as an Atom feed."""
    session = get_public_session()
    entries = [
        feeds.Entry(
            link=url_for("webmap.parcel_page", parcel_id=plot.id, _external=True),
            title=gettext("Free to lease: %(code)s", code=plot.ident_code),
            summary=gettext(
                "%(address)s (%(municipality)s), %(use)s, %(area)s m².",
                address=plot.address or "—",
                municipality=plot.municipality_name,
                use=plot.use_name or "—",
                area=plot.area if plot.area is not None else "—",
            ),
            updated=plot.updated_at,
        )
        for plot in feeds.new_free_plots(session, current_language(), _municipality())
    ]
    return _feed(
        gettext("Plots free to lease"), url_for("webmap.free_page", _external=True), entries
    )


@bp.get("/reports.atom")
def reports_feed():
    """Citizen reports an officer published, as an Atom feed."""
    session = get_public_session()
    entries = []
    for report in feeds.published_reports(session, current_language(), _municipality()):
        link = (
            url_for("webmap.parcel_page", parcel_id=report.parcel_id, _external=True)
            + f"#report-{report.id}"
            if report.parcel_id
            else url_for("webmap.map_page", _external=True) + f"#report-{report.id}"
        )
        entries.append(
            feeds.Entry(
                link=link,
                title=gettext(
                    "Report about %(place)s", place=report.ident_code or report.municipality_name
                ),
                summary=report.text,
                updated=report.published_at,
            )
        )
    return _feed(
        gettext("Published citizen reports"), url_for("webmap.map_page", _external=True), entries
    )
