"""`/` is the public map: small, offline-ready, never embedding parcel data."""

import re

import pytest

from tests import factories as f
from tests.webmap.conftest import PRIVATE_NAME

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def _external_urls(html: str) -> set[str]:
    return set(re.findall(r"""https?://[^\s"'<>)]+""", html))


def test_the_map_page_loads_only_what_the_app_serves(client, private_lease):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _external_urls(html) == {OSM}  # only the configurable base-map template
    for path in re.findall(r'(?:src|href)="(/[^"]+)"', html):
        assert client.get(path).status_code == 200, path
    assert "Leaflet.VectorGrid.bundled.min.js" in html and "/tiles/parcels/{z}/{x}/{y}.pbf" in html


def test_the_map_page_embeds_no_parcel_data_and_stays_small(client, db_session, private_lease):
    for n in range(200):
        f.parcel(db_session, address=f"ул. Навои, {n}")
    html = client.get("/").get_data(as_text=True)
    assert len(html.encode()) < 150_000
    assert "Навои" not in html and private_lease.ident_code not in html
    assert PRIVATE_NAME not in html


def test_no_base_map_when_the_setting_is_empty(app, client):
    app.config["BASEMAP_URL"] = ""
    html = client.get("/").get_data(as_text=True)
    assert _external_urls(html) == set()
    app.config["BASEMAP_URL"] = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert _external_urls(client.get("/").get_data(as_text=True)) == {
        "https://tiles.example.org/{z}/{x}/{y}.png"
    }


@pytest.mark.parametrize(
    "language, title, legend",
    [
        ("ky", "Муниципалдык мүлктүн ачык картасы", "Ижарага берилген"),
        ("ru", "Публичная карта муниципальной собственности", "Сдан в аренду"),
        ("en", "Public map of municipal property", "Leased"),
    ],
)
def test_the_map_speaks_the_chosen_language_and_remembers_it(client, language, title, legend):
    html = client.get(f"/?lang={language}").get_data(as_text=True)
    assert title in html and legend in html
    assert f'"language": "{language}"' in html
    assert title in client.get("/").get_data(as_text=True)  # the cookie remembers


def test_the_inventory_counts_moved_to_stats(client):
    response = client.get("/stats?lang=en")
    assert response.status_code == 200
    assert "Municipal property inventory" in response.get_data(as_text=True)
    assert 'href="/stats' in client.get("/?lang=en").get_data(as_text=True)


def test_the_map_opens_on_the_chosen_municipality(client, db_session, company_lease):
    f.municipality(db_session, "nookat", centre=(72.62, 40.26))
    html = client.get("/?m=nookat").get_data(as_text=True)
    assert re.search(r"fitBounds\(\s*\[\[40\.2, 72\.52\], \[40\.32, 72\.72\]\]", html)
    assert re.search(r"fitBounds\(\s*\[\[40\.5", client.get("/").get_data(as_text=True))
