"""Lists, record pages and forms of the officer workspace, with the role rules."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from inventory import models as m
from tests import factories as f
from tests.office.conftest import JALAL_ABAD
from tests.security.test_inline_scripts import script_sources


def test_the_workspace_needs_a_sign_in(client):
    answer = client.get("/office/parcels/")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_the_top_bar_links_to_the_workspace_when_signed_in(sign_in):
    page = sign_in("officer_osh").get("/office/?lang=en").get_data(as_text=True)
    assert 'href="/office/"' in page


def test_an_officer_lists_only_the_parcels_of_their_city(db_session, sign_in, osh, jalalabad):
    f.parcel(db_session, osh, ident_code="5-08-01-0001-0777", address="ул. Курманжан Датка, 1")
    f.parcel(db_session, jalalabad, shape=f.square(*JALAL_ABAD), ident_code="5-09-01-0001-0888")
    page = sign_in("officer_osh").get("/office/parcels/?lang=en").get_data(as_text=True)
    assert "5-08-01-0001-0777" in page and "5-09-01-0001-0888" not in page
    page = sign_in("auditor").get("/office/parcels/?lang=en").get_data(as_text=True)
    assert "5-08-01-0001-0777" in page and "5-09-01-0001-0888" in page


@pytest.mark.parametrize(
    "query, found",
    [
        ("q=Датка", True),
        ("q=Масалиева", False),
        ("status=leased", False),
        ("status=free", True),
        ("q=0001-0777", True),
    ],
)
def test_parcel_lists_search_and_filter(db_session, sign_in, osh, query, found):
    f.parcel(
        db_session,
        osh,
        ident_code="5-08-01-0001-0777",
        address="ул. Курманжан Датка, 1",
        status=m.ParcelStatus.FREE,
    )
    page = sign_in("officer_osh").get(f"/office/parcels/?{query}").get_data(as_text=True)
    assert ("5-08-01-0001-0777" in page) is found


def test_contracts_are_found_by_lessee_and_sorted(db_session, sign_in, osh):
    lessee = f.lessee(db_session, osh, name="ОсОО «Береке»")
    f.contract(db_session, number="ОШ-2025-0001", lessee=lessee)
    f.contract(db_session, number="ОШ-2025-0002")
    client = sign_in("officer_osh")
    page = client.get("/office/contracts/?q=Береке").get_data(as_text=True)
    assert "ОШ-2025-0001" in page and "ОШ-2025-0002" not in page
    page = client.get("/office/contracts/?sort=number&dir=asc").get_data(as_text=True)
    assert page.index("ОШ-2025-0001") < page.index("ОШ-2025-0002")


def test_lists_are_paged(db_session, sign_in, osh):
    for n in range(30):
        f.lessee(db_session, osh, name=f"Арендатор {n:02d}")
    client = sign_in("officer_osh")
    first = client.get("/office/lessees/?sort=name&dir=asc").get_data(as_text=True)
    second = client.get("/office/lessees/?sort=name&dir=asc&page=2").get_data(as_text=True)
    assert "Арендатор 00" in first and "Арендатор 29" not in first
    assert "Арендатор 29" in second and 'rel="next"' in first


def test_an_osh_officer_cannot_open_a_jalal_abad_parcels_edit_form(db_session, sign_in, jalalabad):
    parcel = f.parcel(
        db_session, jalalabad, shape=f.square(*JALAL_ABAD), ident_code="5-09-01-0001-0001"
    )
    client = sign_in("officer_osh")
    assert client.get(f"/office/parcels/{parcel.id}/edit").status_code == 403
    assert client.get(f"/office/parcels/{parcel.id}").status_code == 403
    assert client.get(f"/office/parcels/{parcel.id}/map").status_code == 403
    assert sign_in("officer_ja").get(f"/office/parcels/{parcel.id}/edit").status_code == 200


def test_an_auditor_reads_but_gets_no_forms(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    client = sign_in("auditor")
    page = client.get(f"/office/parcels/{parcel.id}?lang=en")
    assert page.status_code == 200 and "/edit" not in page.get_data(as_text=True)
    assert client.get(f"/office/parcels/{parcel.id}/edit").status_code == 403
    answer = client.post(
        f"/office/parcels/{parcel.id}/edit",
        data={"ident_code": "5-08-01-0009-0009", "version": "1"},
    )
    assert answer.status_code == 403


def test_a_parcel_page_shows_a_map_related_records_and_history(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    f.contract(db_session, parcel, number="ОШ-2025-0042")
    page = sign_in("officer_osh").get(f"/office/parcels/{parcel.id}?lang=en")
    html = page.get_data(as_text=True)
    assert "ОШ-2025-0042" in html and "leaflet.js" in html and "History" in html
    assert "cdn" not in html.lower()
    assert "'unsafe-inline'" not in script_sources(page)


def test_an_officer_creates_and_edits_a_parcel(db_session, sign_in, osh):
    client = sign_in("officer_osh")
    answer = client.post(
        "/office/parcels/new",
        data={
            "ident_code": "5-08-01-0003-0001",
            "address": "ул. Ленина, 5",
            "status": "free",
            "documented_area": "1 250,50",
        },
    )
    assert answer.status_code == 302
    parcel = db_session.scalars(
        sa.select(m.Parcel).where(m.Parcel.ident_code == "5-08-01-0003-0001")
    ).one()
    assert float(parcel.documented_area) == 1250.5
    answer = client.post(
        f"/office/parcels/{parcel.id}/edit",
        data={
            "ident_code": "5-08-01-0003-0001",
            "address": "ул. Ленина, 7",
            "status": "reserved",
            "version": str(parcel.version),
        },
    )
    assert answer.status_code == 302
    db_session.refresh(parcel)
    assert parcel.address == "ул. Ленина, 7" and parcel.status == m.ParcelStatus.RESERVED


def test_a_bad_value_is_shown_at_its_field(sign_in):
    answer = sign_in("officer_osh").post(
        "/office/parcels/new?lang=en", data={"ident_code": "not a code"}
    )
    assert answer.status_code == 400
    assert "does not match the pattern" in answer.get_data(as_text=True)


def test_a_stale_edit_is_a_conflict_and_overwrites_nothing(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh, address="ул. Ленина, 1")
    loaded = parcel.version
    client = sign_in("officer_osh")
    first = client.post(
        f"/office/parcels/{parcel.id}/edit",
        data={"ident_code": parcel.ident_code, "address": "first officer", "version": str(loaded)},
    )
    assert first.status_code == 302
    second = client.post(
        f"/office/parcels/{parcel.id}/edit?lang=en",
        data={"ident_code": parcel.ident_code, "address": "second officer", "version": str(loaded)},
    )
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Nothing was overwritten" in html and "first officer" in html
    assert "second officer" in html  # what they typed is kept in the form
    db_session.refresh(parcel)
    assert parcel.address == "first officer"


def test_restoring_a_version_is_a_new_change(db_session, sign_in, osh):
    client = sign_in("officer_osh")
    client.post(
        "/office/parcels/new", data={"ident_code": "5-08-01-0004-0001", "address": "old address"}
    )
    parcel = db_session.scalars(
        sa.select(m.Parcel).where(m.Parcel.ident_code == "5-08-01-0004-0001")
    ).one()
    client.post(
        f"/office/parcels/{parcel.id}/edit",
        data={"ident_code": parcel.ident_code, "address": "new address", "version": "1"},
    )
    changes = db_session.scalars(
        sa.select(m.ChangeRecord)
        .where(m.ChangeRecord.table_name == "parcel", m.ChangeRecord.record_id == parcel.id)
        .order_by(m.ChangeRecord.id)
    ).all()
    # A stale version is refused...
    stale = client.post(
        f"/office/parcels/{parcel.id}/restore/{changes[0].id}", data={"version": "1"}
    )
    assert stale.status_code == 303
    db_session.refresh(parcel)
    assert parcel.address == "new address"
    # ...the current one restores, through the service, as one more change.
    client.post(f"/office/parcels/{parcel.id}/restore/{changes[0].id}", data={"version": "2"})
    db_session.refresh(parcel)
    assert parcel.address == "old address" and parcel.version == 3
    count = db_session.scalar(
        sa.select(sa.func.count())
        .select_from(m.ChangeRecord)
        .where(m.ChangeRecord.table_name == "parcel", m.ChangeRecord.record_id == parcel.id)
    )
    assert count == 3
    page = client.get(f"/office/parcels/{parcel.id}?lang=en").get_data(as_text=True)
    assert "Restore this version" in page and "officer-osh" in page


@pytest.mark.parametrize(
    "path",
    ["/office/import", "/office/inspections/visit", "/office/parcels/new", "/office/contracts/new"],
)
def test_pages_that_only_change_records_are_forbidden_to_auditors(sign_in, path):
    assert sign_in("auditor").get(path).status_code == 403
    assert sign_in("officer_osh").get(path).status_code == 200


def test_an_auditors_workspace_offers_no_way_to_change_anything(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    client = sign_in("auditor")
    for page in (
        "/office/?lang=en",
        "/office/parcels/?lang=en",
        f"/office/parcels/{parcel.id}?lang=en",
    ):
        html = client.get(page).get_data(as_text=True)
        for link in ("/office/import", "/office/inspections/visit", "/new", "/archive"):
            assert link not in html, (page, link)
    assert client.get(f"/office/parcels/{parcel.id}/archive").status_code == 403
    assert (
        client.post(
            f"/office/parcels/{parcel.id}/archive", data={"version": str(parcel.version)}
        ).status_code
        == 403
    )
    db_session.refresh(parcel)
    assert parcel.archived_at is None


def test_archiving_asks_first_then_hides_the_record_and_records_it(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh, ident_code="5-08-01-0006-0001")
    client = sign_in("officer_osh")
    page = client.get(f"/office/parcels/{parcel.id}?lang=en").get_data(as_text=True)
    assert f"/office/parcels/{parcel.id}/archive" in page
    question = client.get(f"/office/parcels/{parcel.id}/archive?lang=en")
    assert question.status_code == 200 and "Yes, archive it" in question.get_data(as_text=True)
    db_session.refresh(parcel)
    assert parcel.archived_at is None  # asking changes nothing
    answer = client.post(
        f"/office/parcels/{parcel.id}/archive", data={"version": str(parcel.version)}
    )
    assert answer.status_code == 303
    db_session.refresh(parcel)
    assert parcel.archived_at is not None
    assert "5-08-01-0006-0001" not in client.get("/office/parcels/").get_data(as_text=True)
    page = client.get(f"/office/parcels/{parcel.id}?lang=en").get_data(as_text=True)
    assert "Archived on" in page and "<dt>Archived</dt>" in page  # in the history too


def test_a_stale_archive_is_refused(db_session, sign_in, osh):
    parcel = f.parcel(db_session, osh)
    answer = sign_in("officer_osh").post(
        f"/office/parcels/{parcel.id}/archive", data={"version": str(parcel.version + 1)}
    )
    assert answer.status_code == 303
    db_session.refresh(parcel)
    assert parcel.archived_at is None


def test_restoring_a_version_from_before_the_archive_brings_the_record_back(
    db_session, sign_in, osh
):
    client = sign_in("officer_osh")
    client.post(
        "/office/parcels/new", data={"ident_code": "5-08-01-0006-0002", "address": "ул. Ленина, 9"}
    )
    parcel = db_session.scalars(
        sa.select(m.Parcel).where(m.Parcel.ident_code == "5-08-01-0006-0002")
    ).one()
    client.post(f"/office/parcels/{parcel.id}/archive", data={"version": "1"})
    created = db_session.scalars(
        sa.select(m.ChangeRecord.id)
        .where(m.ChangeRecord.table_name == "parcel", m.ChangeRecord.record_id == parcel.id)
        .order_by(m.ChangeRecord.id)
    ).first()
    answer = client.post(f"/office/parcels/{parcel.id}/restore/{created}", data={"version": "2"})
    assert answer.status_code == 302
    db_session.refresh(parcel)
    assert parcel.archived_at is None and parcel.version == 3
    changes = db_session.scalars(
        sa.select(m.ChangeRecord)
        .where(m.ChangeRecord.table_name == "parcel", m.ChangeRecord.record_id == parcel.id)
        .order_by(m.ChangeRecord.id)
    ).all()
    assert len(changes) == 3 and changes[-1].changed_by_id is not None


@pytest.mark.parametrize(
    "name, query, wanted",
    [
        ("parcels", "Береке", "5-08-01-0007-0001"),  # by the lessee leasing it
        ("parcels", "ОШ-2025-0777", "5-08-01-0007-0001"),  # by the contract number
        ("contracts", "Курманжан", "ОШ-2025-0777"),  # by the parcel's address
        ("contracts", "5-08-01-0007", "ОШ-2025-0777"),  # by the parcel's code
        ("lessees", "ОШ-2025-0777", "Береке"),  # by a contract number
        ("inspections", "5-08-01-0007-0001", "Бекмурзаев"),  # by the parcel inspected
        ("payments", "Береке", "ПП-555"),  # by the lessee who paid
        ("buildings", "5-08-01-0007-0001", "ОШ-З-0777"),  # by the parcel it stands on
    ],
)
def test_every_list_is_searched_by_code_address_lessee_and_contract_number(
    db_session, sign_in, osh, name, query, wanted
):
    parcel = f.parcel(
        db_session, osh, ident_code="5-08-01-0007-0001", address="ул. Курманжан Датка, 7"
    )
    f.parcel(db_session, osh, ident_code="5-08-01-0008-0001", address="ул. Ленина, 8")
    lessee = f.lessee(db_session, osh, name="ОсОО «Береке»")
    contract = f.contract(db_session, parcel, number="ОШ-2025-0777", lessee=lessee)
    f.contract(db_session, number="ОШ-2025-0888")
    f.payment(db_session, contract, reference="ПП-555")
    f.inspection(db_session, parcel, inspector="Бекмурзаев")
    f.building(db_session, parcel, inventory_number="ОШ-З-0777")
    page = sign_in("officer_osh").get(f"/office/{name}/?q={query}").get_data(as_text=True)
    assert wanted in page
    assert page.count('class="record-row"') == 1, page
