"""GET /search?q=: identification code, address or a company's name; never a person's."""

import datetime as dt

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.public import search
from inventory.services.public.search import MAX_LIMIT, like_pattern
from tests import factories as f
from tests.webmap.conftest import COMPANY_NAME, PRIVATE_NAME


def _ids(client, query, **params):
    response = client.get("/search", query_string={"q": query, **params})
    assert response.status_code == 200
    return [hit["id"] for hit in response.get_json()["results"]], response


def test_finds_a_parcel_by_identification_code(client, company_lease):
    ids, response = _ids(client, company_lease.ident_code)
    assert ids[0] == company_lease.id
    hit = response.get_json()["results"][0]
    assert hit["lessee"]["name"] == COMPANY_NAME and len(hit["bbox"]) == 4


def test_finds_by_part_of_an_address_and_by_a_misspelt_one(client, company_lease):
    assert company_lease.id in _ids(client, "Ленина, 212")[0]
    assert company_lease.id in _ids(client, "ленина 212")[0]


def test_finds_a_company_by_name(client, company_lease):
    assert _ids(client, "Гүл Сервис")[0] == [company_lease.id]


def test_a_private_individuals_name_finds_nothing_and_is_never_answered(client, private_lease):
    ids, response = _ids(client, "Асанов")
    assert ids == []
    ids, response = _ids(client, "Курманжан Датка")  # their parcel, found by address
    assert ids == [private_lease.id]
    assert response.get_json()["results"][0]["lessee"]["private"] is True
    assert PRIVATE_NAME not in response.get_data(as_text=True)


def test_expired_contracts_do_not_make_a_company_findable(client, db_session):
    parcel = f.parcel(db_session)
    company = f.lessee(db_session, name="ОсОО «Бывший Арендатор»")
    f.contract(db_session, parcel, lessee=company, status=m.ContractStatus.EXPIRED)
    assert _ids(client, "Бывший Арендатор")[0] == []


@pytest.mark.parametrize("query", ["", " ", "5"])
def test_too_short_a_query_finds_nothing(client, company_lease, query):
    assert _ids(client, query)[0] == []


def test_wildcards_are_literal_and_results_are_limited(client, db_session):
    for n in range(MAX_LIMIT + 5):
        f.parcel(db_session, address=f"мкр. Анар, {n}")
    assert _ids(client, "%%")[0] == []
    assert len(_ids(client, "Анар", limit=1000)[0]) == MAX_LIMIT
    assert len(_ids(client, "Анар", limit=3)[0]) == 3
    assert like_pattern("50%_a\\") == "%50\\%\\_a\\\\%"


def test_a_page_of_hits_says_how_many_matched_in_the_readers_language(client, db_session):
    for n in range(12):
        f.parcel(db_session, address=f"мкр. Анар, {n}")
    every = client.get("/search", query_string={"q": "Анар", "limit": 20}).get_json()
    assert len(every["results"]) == 12 and every["total"] == 12 and every["more"] is None
    page = client.get("/search", query_string={"q": "Анар", "lang": "ru"}).get_json()
    assert len(page["results"]) == search.DEFAULT_LIMIT == 10 and page["total"] == 12
    assert page["more"] == (
        "Показаны лучшие 10 из 12 совпадений: добавьте слово или номер, чтобы найти остальные."
    )
    ky = client.get("/search", query_string={"q": "Анар", "lang": "ky"}).get_json()["more"]
    assert "10" in ky and "12" in ky and ky != page["more"]
    assert client.get("/search", query_string={"q": "Тоголок"}).get_json()["total"] == 0


def test_finds_by_the_first_or_last_groups_of_a_code_and_address_words_in_any_order(
    client, company_lease
):
    code = company_lease.ident_code
    assert company_lease.id in _ids(client, "-".join(code.split("-")[:3]))[0]
    assert company_lease.id in _ids(client, "-".join(code.split("-")[-2:]))[0]
    assert company_lease.id in _ids(client, "212 Ленин")[0]


def test_a_street_name_with_a_letter_missing_still_finds_the_parcel(client, company_lease):
    assert company_lease.id in _ids(client, "Ленна, 212")[0]


def test_a_misspelt_street_is_read_as_the_nearest_address_word(client, db_session):
    parcel = f.parcel(db_session, address="ул. Курманжан Датка, 7")
    # The whole query shares too few trigrams with the address for the trigram fallback;
    # its misspelt word alone is near enough to "курманжан".
    assert parcel.id in _ids(client, "Курмнжан 7")[0]
    assert search.corrected_words(db_session, "Курмнжан 7") == "курманжан:* & 7:*"
    assert search.corrected_words(db_session, "Курманжан 7") is None  # nothing to correct
    assert search.corrected_words(db_session, "Щщщщщ 7") is None  # no word near it


def test_a_word_no_visible_address_holds_any_more_is_no_correction(db_session):
    renamed = f.parcel(db_session, address="ул. Курманжан, 7")
    f.parcel(db_session, address="ул. Курман, 9")
    # "курмнжан" is nearer to "курманжан", which the dictionary keeps after the street
    # is renamed; it must be read as the word an address still holds.
    assert search.corrected_words(db_session, "Курмнжан") == "курманжан:*"
    renamed.address = "ул. Масалиева, 7"
    db_session.flush()
    assert search.corrected_words(db_session, "Курмнжан") == "курман:*"
    f.parcel(db_session, address="ул. Курманжан, 8", archived_at=dt.datetime.now(dt.UTC))
    assert search.corrected_words(db_session, "Курмнжан") == "курман:*"


def test_address_words_are_learnt_from_new_and_changed_addresses(db_session):
    parcel = f.parcel(db_session, address="ул. Жибек-Жолу, 5")
    parcel.address = "мкр. Тунгуч, 12"
    db_session.flush()
    words = set(db_session.scalars(sa.select(m.AddressWord.word)))
    assert {"жибек", "жолу", "мкр", "тунгуч"} <= words
    assert not any(word.isdigit() for word in words)
