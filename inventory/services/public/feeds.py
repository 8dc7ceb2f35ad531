"""Atom 1.0 feeds (RFC 4287) a resident can follow: new plots free to lease, auctions,
published citizen reports; each for all municipalities or one.

The entries are read from the public read model (model.FREE_PARCEL, auctions.PUBLIC_LOT,
published reports only), so a feed shows nothing the map does not. `atom()` writes the
XML with xml.etree; links are absolute, made by the caller (webmap) from the request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.public.model import FREE_PARCEL, VISIBLE_PARCEL
from inventory.services.public.parcels import localized

ATOM = "http://www.w3.org/2005/Atom"
#: How many entries a feed holds, newest first.
FEED_SIZE = 50
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Entry:
    #: Where the entry is read in the browser, absolute; also its permanent id.
    link: str
    title: str
    summary: str
    updated: dt.datetime


@dataclass(frozen=True)
class Feed:
    title: str
    #: The feed's own absolute URL (its id and rel="self") and the page it follows.
    self_url: str
    page_url: str
    entries: list[Entry]
    author: str = "Municipal property office"


def _when(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def atom(feed: Feed) -> bytes:
    """The feed as Atom 1.0 XML (UTF-8, with its declaration)."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    root = ET.Element(f"{{{ATOM}}}feed")
    sub(root, "id", feed.self_url)
    sub(root, "title", feed.title)
    newest = max((e.updated for e in feed.entries), default=_EPOCH)
    sub(root, "updated", _when(newest))
    sub(root, "link", rel="self", href=feed.self_url, type="application/atom+xml")
    sub(root, "link", rel="alternate", href=feed.page_url, type="text/html")
    author = sub(root, "author")
    sub(author, "name", feed.author)
    for item in feed.entries:
        entry = sub(root, "entry")
        sub(entry, "id", item.link)
        sub(entry, "title", item.title)
        sub(entry, "updated", _when(item.updated))
        sub(entry, "link", rel="alternate", href=item.link, type="text/html")
        sub(entry, "summary", item.summary)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass(frozen=True)
class FreePlotItem:
    id: int
    ident_code: str
    address: str | None
    municipality_name: str
    use_name: str | None
    area: object
    updated_at: dt.datetime


def new_free_plots(
    session: so.Session, language: str, municipality: str | None = None
) -> list[FreePlotItem]:
    """Plots free to lease, the most recently changed first (a plot freed or offered
    anew moves to the top)."""
    rows = session.execute(
        sa.text(f"""
            SELECT p.id, p.ident_code, p.address, {localized("m", language)} AS municipality_name,
                   CASE WHEN u.id IS NOT NULL THEN {localized("u", language)} END AS use_name,
                   coalesce(p.documented_area, p.measured_area) AS area, p.updated_at
              FROM parcel p
              JOIN municipality m ON m.id = p.municipality_id
              LEFT JOIN land_use u ON u.id = p.designated_use_id
             WHERE {VISIBLE_PARCEL} AND {FREE_PARCEL}
               AND (CAST(:municipality AS text) IS NULL OR m.slug = :municipality)
             ORDER BY p.updated_at DESC, p.id DESC
             LIMIT :limit"""),
        {"municipality": municipality, "limit": FEED_SIZE},
    ).mappings()
    return [FreePlotItem(**row) for row in rows]


@dataclass(frozen=True)
class ReportItem:
    id: int
    parcel_id: int | None
    ident_code: str | None
    municipality_name: str
    text: str
    published_at: dt.datetime


def published_reports(
    session: so.Session, language: str, municipality: str | None = None
) -> list[ReportItem]:
    """Citizen reports an officer published, the latest published first."""
    rows = session.execute(
        sa.text(f"""
            SELECT r.id, r.parcel_id, p.ident_code, {localized("m", language)}
                   AS municipality_name, r.text,
                   coalesce(r.moderated_at, r.created_at) AS published_at
              FROM citizen_report r
              JOIN municipality m ON m.id = r.municipality_id
              LEFT JOIN parcel p ON p.id = r.parcel_id
             WHERE r.status = 'published'
               AND (CAST(:municipality AS text) IS NULL OR m.slug = :municipality)
             ORDER BY published_at DESC, r.id DESC
             LIMIT :limit"""),
        {"municipality": municipality, "limit": FEED_SIZE},
    ).mappings()
    return [ReportItem(**row) for row in rows]


def entries(items: Iterable, make: Callable[[object], Entry]) -> list[Entry]:
    return [make(item) for item in items]
