"""Residents see the auctions: the /auctions page lists the coming lots and the results
(a private winner never named), the map gets a marker per announced lot, and the Atom
feeds of auctions, free plots and published reports parse as Atom 1.0, per city too."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest

from inventory import models as m
from inventory.services.auctions import results
from inventory.services.auctions.lots import kind as lots
from inventory.services.permissions import Actor
from tests import factories as f

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture()
def auctions_held(db_session, priced, jalalabad, people):
    """Osh: lot А-1 announced, А-2 won by a private individual, А-3 without bids;
    Jalal-Abad: lot Ж-1 announced."""
    officer = Actor.of(people["officer_osh"], source="ui")
    made = {}
    for number, day in (("А-1", "2027-01-15"), ("А-2", "2026-11-20"), ("А-3", "2026-11-21")):
        parcel = f.parcel(db_session, priced, documented_area=Decimal("400"))
        made[number] = lots.create(
            db_session,
            officer,
            {
                "number": number,
                "parcel_id": parcel.id,
                "term_months": 36,
                "auction_date": day,
                "conditions": "Без капитального строительства",
                "platform_ref": f"EA-{number}",
            },
        )
    person = f.lessee(db_session, priced, kind=m.LesseeKind.INDIVIDUAL, name="Асанов Бакыт")
    results.record_winner(
        db_session,
        officer,
        made["А-2"]["id"],
        {
            "version": made["А-2"]["version"],
            "winner_id": person.id,
            "final_rent": made["А-2"]["starting_rent"] + 5000,
            "protocol_number": "П-2",
            "protocol_url": "https://e-auction.gov.kg/p/2",
            "contract_number": "ОШ-А-2",
        },
    )
    results.record_no_bids(
        db_session, officer, made["А-3"]["id"], {"version": made["А-3"]["version"]}
    )
    ja = Actor.of(people["officer_ja"], source="ui")
    f.zone(db_session, jalalabad)
    f.base_rate(db_session, jalalabad)
    parcel = f.parcel(
        db_session, jalalabad, shape=f.square(*f.JALAL_ABAD), documented_area=Decimal("300")
    )
    made["Ж-1"] = lots.create(
        db_session,
        ja,
        {"number": "Ж-1", "parcel_id": parcel.id, "term_months": 12, "auction_date": "2027-02-01"},
    )
    db_session.flush()
    return made


def test_the_auctions_page_lists_coming_lots_and_results_and_masks_a_private_winner(
    client, auctions_held
):
    page = client.get("/auctions?lang=en").get_data(as_text=True)
    coming, held = page.split("Results of auctions held")
    assert "А-1" in coming and "Ж-1" in coming and "EA-А-1" in coming
    assert "А-2" in held and "А-3" in held and "No bids" in held
    assert "Won by Private individual" in held and "Асанов" not in page
    # Rents in som with their two decimals, as the registers write amounts.
    rents = re.findall(r"<td>([\d,]+\.\d+)</td>", page)
    assert rents and all(len(rent.split(".")[1]) == 2 for rent in rents), rents
    assert 'href="https://e-auction.gov.kg/p/2"' in held
    only_osh = client.get("/auctions?municipality=osh").get_data(as_text=True)
    assert "А-1" in only_osh and "Ж-1" not in only_osh


def test_the_map_gets_a_marker_for_each_announced_lot(client, auctions_held):
    layer = client.get("/layers/lots.geojson").get_json()
    numbers = {feature["properties"]["number"] for feature in layer["features"]}
    assert numbers == {"А-1", "Ж-1"}
    point = layer["features"][0]["geometry"]
    assert point["type"] == "Point" and len(point["coordinates"]) == 2


def _atom(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{required}").text, required
        dt.datetime.fromisoformat(entry.find(f"{ATOM}updated").text.replace("Z", "+00:00"))
    return root


def _titles(root):
    return [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]


def test_the_auctions_feed_is_atom_and_follows_one_city(client, auctions_held):
    everything = _titles(_atom(client.get("/auctions.atom?lang=en")))
    assert any("А-1" in t and "auction on 15.01.2027" in t for t in everything)
    assert any("А-2" in t and "held" in t for t in everything)
    assert any("А-3" in t and "no bids" in t for t in everything)
    osh = _titles(_atom(client.get("/auctions.atom?municipality=osh")))
    assert len(osh) == 3 and not any("Ж-1" in t for t in osh)


def test_the_free_plots_feed_lists_free_plots_only(client, db_session, osh):
    free = f.parcel(db_session, osh)
    leased = f.contract(db_session, f.parcel(db_session, osh)).objects[0].parcel
    root = _atom(client.get("/free.atom?municipality=osh&lang=en"))
    titles = _titles(root)
    assert f"Free to lease: {free.ident_code}" in titles
    assert not any(leased.ident_code in t for t in titles)


def test_the_reports_feed_holds_published_reports_only(client, db_session, osh):
    parcel = f.parcel(db_session, osh)
    for text, status in (
        ("Автомойка на газоне", "published"),
        ("спам", "rejected"),
        ("ждёт", "pending"),
    ):
        db_session.add(
            m.CitizenReport(
                municipality_id=osh.id,
                parcel_id=parcel.id,
                text=text,
                status=status,
                moderation_note="нет" if status == "rejected" else None,
            )
        )
    db_session.flush()
    root = _atom(client.get("/reports.atom?municipality=osh"))
    summaries = [e.find(f"{ATOM}summary").text for e in root.findall(f"{ATOM}entry")]
    assert summaries == ["Автомойка на газоне"]


def test_the_free_plots_page_leads_to_the_auctions_and_its_feed(client, osh):
    page = client.get("/free?m=osh&lang=en").get_data(as_text=True)
    assert 'href="/auctions?municipality=osh"' in page
    assert 'href="/free.atom?municipality=osh"' in page
