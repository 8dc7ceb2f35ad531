"""An individual entrepreneur is a lessee kind of its own, with a personal ИНН."""

from __future__ import annotations

import pytest


def _create(client, headers, inn):
    return client.post(
        "/api/v1/lessees",
        headers=headers["officer_osh"],
        json={
            "municipality": "osh",
            "kind": "individual_entrepreneur",
            "name": "ИП Асанов Б. Т.",
            "inn": inn,
            "phone": "+996 555 000 111",
        },
    )


@pytest.mark.parametrize("inn", ["21505198000123", "11505198000123", None])
def test_an_entrepreneur_is_kept_with_a_personal_inn_or_none_on_file(client, headers, inn):
    created = _create(client, headers, inn)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["kind"] == "individual_entrepreneur"


def test_an_entrepreneur_with_a_companys_inn_is_refused_naming_the_inn(client, headers):
    refused = _create(client, headers, "01234567890123")
    assert refused.status_code in (400, 422), refused.get_json()
    answer = refused.get_json()
    assert answer["field"] == "inn" and "01234567890123" in answer["message"]
