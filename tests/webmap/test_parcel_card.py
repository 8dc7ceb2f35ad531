"""/parcels/<id> and /parcels/<id>.json: a parcel's public card, masked and escaped."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from inventory import models as m
from tests import factories as f
from tests.webmap.conftest import COMPANY_NAME, PRIVATE_NAME


def test_the_json_card_has_the_public_facts(client, db_session, company_lease):
    company_lease.documented_area = Decimal("905.50")
    db_session.flush()
    body = client.get(f"/parcels/{company_lease.id}.json?lang=en").get_json()
    assert body["ident_code"] == company_lease.ident_code
    assert body["address"] == "ул. Ленина, 212"
    assert (body["status"], body["status_label"]) == ("leased", "Leased")
    assert body["municipality"] == "osh"
    assert (body["designated_use"], body["designated_use_name"]) == ("trade", "Trade and services")
    assert body["municipality_name"] == "Osh"
    assert body["documented_area"] == "905.50"
    assert Decimal(body["measured_area"]) > 0
    assert len(body["bbox"]) == 4
    contract = body["contract"]
    assert contract["lessee"] == {
        "kind": "legal_entity",
        "private": False,
        "name": COMPANY_NAME,
        "inn": "01234567890123",
    }
    assert contract["annual_rent"] == "120000.00"  # 10 000 som a month
    assert (contract["start_date"], contract["end_date"]) == ("2024-01-01", "2028-12-31")


@pytest.mark.parametrize(
    "language, rent, end",
    [
        ("ky", "120\xa0000,00", "2028-ж., 31-декабрь"),
        ("ru", "120\xa0000,00", "31 декабря 2028\u202fг."),
        ("en", "120,000.00", "December 31, 2028"),
    ],
)
def test_the_json_card_says_its_numbers_and_dates_as_the_language_writes_them(
    client, company_lease, language, rent, end
):
    """The map's popup shows these: Chromium has no Kyrgyz format and wrote 2028-12-31
    and 120,000 on a Kyrgyz page."""
    body = client.get(f"/parcels/{company_lease.id}.json?lang={language}").get_json()
    assert body["shown"]["annual_rent"] == rent
    assert body["shown"]["end_date"] == end


@pytest.mark.parametrize(
    "language, label", [("en", "Private individual"), ("ru", "Частное лицо"), ("ky", "Жеке жак")]
)
def test_a_private_individual_is_only_a_translated_label(client, private_lease, language, label):
    body = client.get(f"/parcels/{private_lease.id}.json?lang={language}")
    assert body.get_json()["contract"]["lessee"] == {
        "kind": "individual",
        "private": True,
        "name": label,
        "inn": None,
    }
    page = client.get(f"/parcels/{private_lease.id}?lang={language}")
    html = page.get_data(as_text=True)
    assert label in html
    for secret in (PRIVATE_NAME, "+996 555 123 456", "ID1234567"):
        assert secret not in html and secret not in body.get_data(as_text=True)


def test_the_html_card_shows_the_lease(client, company_lease):
    html = client.get(f"/parcels/{company_lease.id}?lang=en").get_data(as_text=True)
    for text in (
        company_lease.ident_code,
        "Leased",
        COMPANY_NAME,
        "01234567890123",
        "120,000",
        "Annual rent",
    ):
        assert text in html


def test_a_parcel_without_a_contract_says_so(client, db_session):
    parcel = f.parcel(db_session, status=m.ParcelStatus.FREE)
    assert client.get(f"/parcels/{parcel.id}.json").get_json()["contract"] is None
    assert "No active lease contract" in client.get(f"/parcels/{parcel.id}?lang=en").get_data(
        as_text=True
    )


def test_only_the_active_contract_counts(client, db_session, company_lease):
    person = f.lessee(db_session, kind=m.LesseeKind.INDIVIDUAL, name=PRIVATE_NAME)
    f.contract(db_session, company_lease, lessee=person, status=m.ContractStatus.EXPIRED)
    body = client.get(f"/parcels/{company_lease.id}.json").get_json()
    assert body["contract"]["lessee"]["name"] == COMPANY_NAME


def test_user_provided_text_is_escaped(client, db_session):
    parcel = f.parcel(db_session, address="<script>alert(1)</script>")
    company = f.lessee(db_session, name='ОсОО "<img src=x onerror=alert(2)>"')
    f.contract(db_session, parcel, lessee=company)
    html = client.get(f"/parcels/{parcel.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    body = client.get(f"/parcels/{parcel.id}.json")
    # JSON carries the text as it is; the map's script inserts it with textContent only.
    assert body.mimetype == "application/json"
    assert body.get_json()["address"] == "<script>alert(1)</script>"


@pytest.mark.parametrize("path", ["/parcels/999999", "/parcels/999999.json"])
def test_an_unknown_parcel_is_404(client, path):
    assert client.get(path).status_code == 404


def test_json_404_is_json(client):
    response = client.get("/parcels/999999.json?lang=en")
    assert response.get_json()["error"] == "Not found"


def test_the_card_names_the_zone_and_its_kz(client, db_session):
    parcel = f.parcel(db_session, status=m.ParcelStatus.FREE, shape=f.square())
    f.zone(db_session, code="2", name="Центр", kz=Decimal("1.150"))
    body = client.get(f"/parcels/{parcel.id}.json").get_json()
    assert body["zone"] == {"code": "2", "name": "Центр", "kz": "1.150", "is_demo": True}
    html = client.get(f"/parcels/{parcel.id}?lang=en").get_data(as_text=True)
    assert "Kz = 1.15" in html and "demo value" in html


def test_a_zone_no_longer_in_force_is_not_the_parcels_zone(client, db_session):
    import datetime as dt

    parcel = f.parcel(db_session, shape=f.square())
    f.zone(db_session, valid_from=dt.date(2015, 1, 1), valid_to=dt.date(2019, 12, 31))
    assert client.get(f"/parcels/{parcel.id}.json").get_json()["zone"] is None


def test_only_confirmed_flags_of_the_parcel_and_its_contracts_are_public(
    client, db_session, company_lease
):
    from tests.webmap.conftest import flag

    contract = (
        db_session.scalars(
            sa.select(m.ContractObject).where(m.ContractObject.parcel_id == company_lease.id)
        )
        .first()
        .contract
    )
    flag(db_session, parcel=company_lease, message="Used as a car wash")
    flag(db_session, contract=contract, rule="arrears", message="Rent 94 days behind")
    for status in ("open", "dismissed", "resolved"):
        flag(db_session, parcel=company_lease, status=status, message=f"secret {status}")
    flag(db_session, parcel=f.parcel(db_session), message="Another parcel's problem")
    body = client.get(f"/parcels/{company_lease.id}.json").get_json()
    assert sorted((x["rule"], x["message"]) for x in body["flags"]) == [
        ("arrears", "Rent 94 days behind"),
        ("misuse", "Used as a car wash"),
    ]
    html = client.get(f"/parcels/{company_lease.id}?lang=en").get_data(as_text=True)
    assert "Used as a car wash" in html and "Rent 94 days behind" in html
    assert "secret" not in html and "Another parcel" not in html


def test_a_parcel_without_confirmed_flags_says_so(client, db_session):
    parcel = f.parcel(db_session)
    assert client.get(f"/parcels/{parcel.id}.json").get_json()["flags"] == []
    html = client.get(f"/parcels/{parcel.id}?lang=en").get_data(as_text=True)
    assert "confirmed no problems" in html
