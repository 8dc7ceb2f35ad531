"""The /ogc pages as a person reads them: properties under labels and values as the
reader's language writes them, errors as pages, links named in words; and what map
programs on other sites need (CORS) and GeoJSON's rules (no `crs` member)."""

from __future__ import annotations

import re

from tests.ogc.conftest import FRACTIONAL_AREA


def _text(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "text/html", url
    return response.get_data(as_text=True)


def _headings(text: str) -> list[str]:
    return re.findall(r"<th[^>]*>([^<]*)</th>", text)


def test_an_items_page_shows_labels_and_names_not_codes(client, inventory):
    text = _text(client, "/ogc/collections/contracts/items?f=html&lang=ru&limit=1000")
    headings = _headings(text)
    assert "Муниципалитет" in headings and "Статус" in headings
    assert "Арендуемая площадь, м²" in headings and "Вид арендатора" in headings
    assert not {"munic", "status", "lessee_typ", "rent_year"} & set(headings)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", text)
    assert "Действует" in cells and "active" not in cells
    assert "Юридическое лицо" in cells and "legal_entity" not in cells
    # Areas and sums of som as Russian writes them, the fraction kept.
    assert f"{FRACTIONAL_AREA:.2f}".replace(".", ",") in cells
    assert not any(re.fullmatch(r"\d+\.\d+", cell) for cell in cells)


def test_a_feature_page_writes_dates_and_numbers_for_its_language(client, inventory):
    contract = client.get("/ogc/collections/contracts/items?limit=1").get_json()["features"][0]
    url = f"/ogc/collections/contracts/items/{contract['id']}?f=html"
    english = _text(client, f"{url}&lang=en")
    kyrgyz = _text(client, f"{url}&lang=ky")
    start = contract["properties"]["start_date"]  # 2024-01-31 as the JSON gives it
    assert start not in re.sub(r'<[^>]*"[^"]*"[^>]*>', "", english)
    year = start[:4]
    assert re.search(rf"\b{year}\b", english) and f"{year}-ж." in kyrgyz
    # Descriptions are text: a placeholder such as <code> is shown, not taken as a tag.
    assert "<code>" not in english and "&lt;code&gt;" in english


def test_an_error_asked_for_as_a_page_is_a_page_in_the_readers_language(client, inventory):
    bad = client.get("/ogc/collections/parcels/items?f=html&lang=ru&filter=foo%3E")
    assert bad.status_code == 400 and bad.mimetype == "text/html"
    assert "недопустимое выражение cql2-text" in bad.get_data(as_text=True)
    browser = client.get(
        "/ogc/collections/nope?lang=ky", headers={"Accept": "text/html,application/xml;q=0.9"}
    )
    assert browser.status_code == 404 and browser.mimetype == "text/html"
    # Programs keep their JSON, with the English message they can match on.
    program = client.get("/ogc/collections/parcels/items?filter=foo%3E")
    assert program.status_code == 400 and program.mimetype == "application/json"
    assert program.get_json()["message"] == "not a valid cql2-text expression"


def test_a_page_past_the_last_feature_says_so_and_leads_back(client, inventory):
    text = _text(client, "/ogc/collections/parcels/items?f=html&lang=en&offset=100000")
    assert "Nothing on this page" in text and "First page" in text
    assert "Features 100001" not in text and 'rel="next"' not in text


def test_links_are_named_in_words(client, inventory):
    text = _text(client, "/ogc?f=html&lang=ru")
    names = re.findall(r'<a href="[^"]*" rel="[^"]*" type="[^"]*">([^<]*)</a>', text)
    assert "Коллекции (JSON)" in names and "Описание API (OpenAPI)" in names
    assert not any(name.startswith(("data", "self", "http")) for name in names)


def test_the_api_page_speaks_the_readers_language_and_the_json_english(client):
    assert "Главная страница" in _text(client, "/ogc/api?f=html&lang=ru")
    assert client.get("/ogc/api").get_json()["paths"]["/"]["get"]["summary"] == "Landing page"


def test_the_tiles_pages_are_pages(client, inventory):
    text = _text(client, "/ogc/collections/parcels/tiles/WebMercatorQuad?f=html&lang=ky")
    assert "Плиткалардагы катмар" in _headings(text)
    assert "\\u04" not in text  # the JSON shown below the page is readable, not escaped


def test_other_sites_may_load_the_api_and_the_tiles(client, inventory):
    for url in ("/ogc/collections", "/ogc/collections/parcels/items?limit=1"):
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*", url
    tile = client.get("/ogc/collections/parcels/tiles/WebMercatorQuad/10/387/716")
    assert tile.headers["Access-Control-Allow-Origin"] == "*"
    # Never with the reader's cookies: a wildcard origin forbids credentials.
    assert "Access-Control-Allow-Credentials" not in tile.headers


def test_features_in_another_crs_carry_no_crs_member(client, inventory):
    url = "/ogc/collections/parcels/items?limit=5&crs=http://www.opengis.net/def/crs/EPSG/0/7693"
    response = client.get(url)
    assert response.headers["Content-Crs"].endswith("/EPSG/0/7693>")
    geometries = [x["geometry"] for x in response.get_json()["features"] if x["geometry"]]
    assert geometries and all(set(g) == {"type", "coordinates"} for g in geometries)


def test_free_plots_publish_no_lease_fields(client, inventory):
    # A free plot has no lease: fields that are always empty only mislead (GDAL typed
    # them as text from the first features).
    lease = {"lessee_typ", "lessee", "lessee_inn", "contract", "lease_end", "rent_year"}
    schema = client.get("/ogc/collections/free-plots/schema").get_json()
    assert not lease & set(schema["properties"]) and "doc_area" in schema["properties"]
    features = client.get("/ogc/collections/free-plots/items").get_json()["features"]
    assert features and all(not lease & set(x["properties"]) for x in features)
    assert lease <= set(client.get("/ogc/collections/parcels/schema").get_json()["properties"])
