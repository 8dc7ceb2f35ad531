"""/about-data: sources, freshness, licence, masking, and the way to the downloads."""

from tests import factories as f


def test_the_page_says_where_the_data_comes_from_and_how_to_reuse_it(client, db_session):
    parcel = f.parcel(db_session)
    html = client.get("/about-data?lang=en").get_data(as_text=True)
    assert "CC BY 4.0" in html and "creativecommons.org/licenses/by/4.0" in html
    assert 'href="/opendata"' in html
    assert "private individual" in html
    assert "Last updated:" in html
    from inventory.services.public import about

    summary = about.data_summary(db_session)
    assert summary.last_update is not None and summary.last_update >= parcel.updated_at
    assert summary.parcels >= 1


def test_the_page_is_translated(client):
    assert "О данных" in client.get("/about-data?lang=ru").get_data(as_text=True)


def test_the_page_says_an_entrepreneur_is_shown_by_its_trade_name_only(client):
    html = client.get("/about-data?lang=en").get_data(as_text=True)
    assert "shown by its trade name only, never with its INN" in html
    assert "торговым наименованием" in client.get("/about-data?lang=ru").get_data(as_text=True)
