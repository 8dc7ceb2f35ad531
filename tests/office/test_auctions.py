"""An officer announces a lot from a free parcel in the workspace, records its winner (the
contract follows) and sees it; an auditor reads the lots and asks for the daily digest."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from inventory import models as m
from tests import factories as f


def test_an_officer_announces_a_lot_and_records_its_winner(client, db_session, sign_in, osh):
    f.zone(db_session, osh)
    f.base_rate(db_session, osh)
    parcel = f.parcel(db_session, osh, documented_area=Decimal("500"))
    winner = f.lessee(db_session, osh, name="ОсОО «Жаңы Базар»")
    office = sign_in("officer_osh")
    form = office.get("/office/auctions/new?lang=ru").get_data(as_text=True)
    assert 'name="object"' in form and "Новый лот" in form
    refused = office.post(
        "/office/auctions/new?lang=en",
        data={
            "object": "9-99-99-9999-9999",
            "number": "L-1",
            "term_months": "24",
            "auction_date": "2026-12-28",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Not saved" in refused and "9-99-99-9999-9999" in refused
    answer = office.post(
        "/office/auctions/new",
        data={
            "object": parcel.ident_code,
            "number": "L-1",
            "term_months": "24",
            "auction_date": "2026-12-28",
            "conditions": "Кафе",
        },
    )
    assert answer.status_code == 302
    lot = db_session.scalar(sa.select(m.AuctionLot).where(m.AuctionLot.number == "L-1"))
    assert lot.parcel_id == parcel.id and lot.starting_rent > 0
    listing = office.get("/office/auctions").get_data(as_text=True)
    assert "L-1" in listing and parcel.ident_code in listing
    answer = office.post(
        f"/office/auctions/{lot.id}/result",
        data={
            "version": str(lot.version),
            "outcome": "won",
            "winner": winner.inn,
            "final_rent": str(lot.starting_rent + 1000),
            "protocol_number": "П-5",
            "contract_number": "ОШ-L-1",
        },
        follow_redirects=True,
    )
    page = answer.get_data(as_text=True)
    assert "ОсОО «Жаңы Базар»" in page and 'class="lot-contract"' in page
    contract = db_session.scalar(
        sa.select(m.LeaseContract).where(m.LeaseContract.number == "ОШ-L-1")
    )
    assert contract.basis == m.ContractBasis.AUCTION and contract.lessee_id == winner.id


def test_an_auditor_reads_lots_and_opts_in_to_the_digest(client, db_session, sign_in, people):
    auditor = sign_in("auditor")
    assert auditor.get("/office/auctions").status_code == 200
    assert auditor.get("/office/auctions/new").status_code == 403
    page = auditor.get("/office/digest?lang=en").get_data(as_text=True)
    assert 'name="digest_opt_in"' in page
    auditor.post("/office/digest", data={"digest_opt_in": "on"})
    db_session.refresh(people["auditor"])
    assert people["auditor"].digest_opt_in is True
    officer = sign_in("officer_osh")
    page = officer.get("/office/digest?lang=en").get_data(as_text=True)
    assert 'name="digest_opt_in"' not in page and "digest" in page


def test_a_lot_page_writes_dates_and_rents_as_its_language_does(db_session, sign_in, osh):
    f.zone(db_session, osh)
    f.base_rate(db_session, osh)
    parcel = f.parcel(db_session, osh, documented_area=Decimal("500"))
    office = sign_in("officer_osh")
    office.post(
        "/office/auctions/new",
        data={
            "object": parcel.ident_code,
            "number": "L-7",
            "term_months": "24",
            "auction_date": "2026-12-28",
            "starting_rent": "12500.5",
        },
    )
    lot = db_session.scalar(sa.select(m.AuctionLot).where(m.AuctionLot.number == "L-7"))
    page = office.get(f"/office/auctions/{lot.id}?lang=ru").get_data(as_text=True)
    assert "28 декабря 2026" in page and "2026-12-28</dd>" not in page
    assert "12\u00a0500,5" in page
    listing = office.get("/office/auctions?lang=ru").get_data(as_text=True)
    assert "28 декабря 2026" in listing
