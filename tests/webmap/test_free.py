"""/free: plots free to lease, filtered by municipality, use and area, with how to apply."""

from decimal import Decimal

import pytest

from inventory import models as m
from tests import factories as f


@pytest.fixture()
def plots(db_session):
    """Free plots in Osh (trade 500 m², greening 2000 m²) and Nookat, and a leased one."""
    osh = f.municipality(db_session, "osh")
    nookat = f.municipality(db_session, "nookat", centre=(72.62, 40.26), name_en="Nookat")
    return {
        "trade": f.parcel(
            db_session,
            osh,
            status=m.ParcelStatus.FREE,
            documented_area=Decimal("500"),
            ident_code="5-08-01-0009-0001",
        ),
        "green": f.parcel(
            db_session,
            osh,
            status=m.ParcelStatus.FREE,
            documented_area=Decimal("2000"),
            ident_code="5-08-01-0009-0002",
            designated_use=f.use(db_session, "greening"),
        ),
        "nookat": f.parcel(
            db_session,
            nookat,
            status=m.ParcelStatus.FREE,
            documented_area=Decimal("800"),
            ident_code="5-08-01-0009-0003",
            shape=f.square(72.62, 40.26),
        ),
        "leased": f.parcel(
            db_session, osh, status=m.ParcelStatus.LEASED, ident_code="5-08-01-0009-0004"
        ),
    }


def _codes(client, query=""):
    html = client.get(f"/free?lang=en&{query}").get_data(as_text=True)
    return {code for code in ("0009-0001", "0009-0002", "0009-0003", "0009-0004") if code in html}


def test_only_free_plots_are_listed_with_how_to_apply(client, plots):
    html = client.get("/free?lang=en").get_data(as_text=True)
    assert _codes(client) == {"0009-0001", "0009-0002", "0009-0003"}
    assert "№142 of 29.03.2019" in html and "municipal property office" in html
    assert f"/?m=osh#parcel={plots['trade'].id}" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("m=nookat", {"0009-0003"}),
        ("use=greening", {"0009-0002"}),
        ("min_area=600", {"0009-0002", "0009-0003"}),
        ("min_area=600&max_area=1000", {"0009-0003"}),
        ("m=osh&max_area=1000,5", {"0009-0001"}),
        ("min_area=lots", {"0009-0001", "0009-0002", "0009-0003"}),  # nonsense is ignored
        ("max_area=1 000", {"0009-0001", "0009-0003"}),  # as the page writes areas
        ("min_area=1\xa0000,0", {"0009-0002"}),
    ],
)
def test_the_list_filters(client, plots, query, expected):
    assert _codes(client, query) == expected


def test_the_list_is_paginated(client, db_session, monkeypatch):
    from inventory.services.public import free

    osh = f.municipality(db_session)
    for _ in range(5):
        f.parcel(db_session, osh, status=m.ParcelStatus.FREE)
    page = free.free_plots(db_session, free.FreeFilter(page=2), "en", per_page=2)
    assert (len(page.plots), page.total, page.page, page.pages) == (2, 5, 2, 3)
    monkeypatch.setattr(free, "PER_PAGE", 2)
    html = client.get("/free?lang=en&page=3").get_data(as_text=True)
    assert "Page 3 of 3" in html and 'rel="prev"' in html and 'rel="next"' not in html


def test_the_filters_are_translated(client, plots):
    assert "Свободные участки" in client.get("/free?lang=ru").get_data(as_text=True)
