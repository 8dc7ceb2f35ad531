"""Search terms and text filters have one bound everywhere (services.terms): a list of
payments searched for 3,900 characters took 5.5 s. Beyond MAX_TERM_LENGTH characters the
public search, the office and API lists and the OGC property filters answer a clear 400
naming the parameter, in the reader's language; at the bound they answer as always."""

from __future__ import annotations

import pytest

from inventory.services.terms import MAX_TERM_LENGTH
from tests import factories as f

LONG = "а" * (MAX_TERM_LENGTH + 1)
AT_THE_BOUND = "а" * MAX_TERM_LENGTH


@pytest.mark.parametrize("kind", ["parcels", "payments", "contracts", "lessees"])
def test_an_api_list_refuses_a_search_term_past_the_bound(client, headers, kind):
    answer = client.get(f"/api/v1/{kind}", query_string={"q": LONG}, headers=headers["admin"])
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["field"] == "q"
    assert body["message"] == f"at most {MAX_TERM_LENGTH} characters (this one has {len(LONG)})"
    ok = client.get(f"/api/v1/{kind}", query_string={"q": AT_THE_BOUND}, headers=headers["admin"])
    assert ok.status_code == 200 and ok.get_json()["total"] == 0


@pytest.mark.parametrize("name", ["municipality", "status"])
def test_the_other_text_filters_of_a_list_too(client, headers, name):
    answer = client.get("/api/v1/parcels", query_string={name: LONG}, headers=headers["admin"])
    assert answer.status_code == 400 and answer.get_json()["field"] == name


def test_a_nul_character_is_a_clear_400_not_a_server_error(client, headers):
    answer = client.get("/api/v1/payments?q=%00", headers=headers["admin"])
    assert answer.status_code == 400 and "NUL" in answer.get_json()["message"]


def test_an_office_list_says_it_in_the_officers_language(client, people):
    f.signed_in(client, people["officer_osh"])
    answer = client.get("/office/payments/", query_string={"q": LONG, "lang": "ru"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert f"не более {MAX_TERM_LENGTH} символов" in page
    assert client.get("/office/payments/", query_string={"q": AT_THE_BOUND}).status_code == 200


def test_the_public_search_refuses_past_the_bound(client, db_session, osh):
    answer = client.get("/search", query_string={"q": LONG}, headers={"Accept": "application/json"})
    assert answer.status_code == 400 and answer.get_json()["field"] == "q"
    ok = client.get("/search", query_string={"q": AT_THE_BOUND})
    assert ok.status_code == 200 and ok.get_json()["results"] == []


def test_an_ogc_property_filter_too(client, db_session, osh):
    answer = client.get(
        "/ogc/collections/parcels/items", query_string={"municipality": LONG, "f": "json"}
    )
    assert answer.status_code == 400
    ok = client.get(
        "/ogc/collections/parcels/items", query_string={"municipality": "osh", "f": "json"}
    )
    assert ok.status_code == 200


@pytest.mark.parametrize("name", ["lessee", "municipality"])
def test_the_flag_filters_too(client, headers, name):
    answer = client.get("/api/v1/anomalies", query_string={name: LONG}, headers=headers["auditor"])
    assert answer.status_code == 400 and answer.get_json()["field"] == name
    ok = client.get(
        "/api/v1/anomalies", query_string={"lessee": AT_THE_BOUND}, headers=headers["auditor"]
    )
    assert ok.status_code == 200
