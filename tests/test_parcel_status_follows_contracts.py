"""A parcel's status follows its contracts on every write path (API, import, plain SQL;
the office form in tests/office/test_parcel_status_on_save.py): an active contract makes
a free parcel leased, and it is free again when its last active contract ends, unless an
officer set it to municipal use, reserved or disputed. Nothing public lists it as free."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services.anomalies import scan
from tests import factories as f


def _status(session, parcel_id: int) -> str:
    return session.scalar(sa.text("SELECT status FROM parcel WHERE id = :id"), {"id": parcel_id})


def _sql_contract(session, parcel, lessee, status: str = "active", number: str = "SQL-1") -> int:
    """A contract and its object written by plain SQL, as a script or psql would."""
    contract_id = session.scalar(
        sa.text(
            "INSERT INTO lease_contract (municipality_id, number, lessee_id, start_date, "
            "end_date, rent_amount, basis, status) VALUES (:m, :number, :l, '2025-01-01', "
            "'2027-12-31', 1000, 'auction', :status) RETURNING id"
        ),
        {"m": parcel.municipality_id, "number": number, "l": lessee.id, "status": status},
    )
    session.execute(
        sa.text("INSERT INTO contract_object (contract_id, parcel_id) VALUES (:c, :p)"),
        {"c": contract_id, "p": parcel.id},
    )
    return contract_id


def _set(session, contract_id: int, assignments: str) -> None:
    session.execute(
        sa.text(f"UPDATE lease_contract SET {assignments} WHERE id = :id"), {"id": contract_id}
    )


@pytest.mark.parametrize(
    "ending",
    [
        "status = 'expired'",
        "status = 'terminated', terminated_on = '2026-01-01'",
        "status = 'superseded'",
        "archived_at = now()",
    ],
)
def test_plain_sql_leases_a_free_parcel_and_frees_it_when_the_contract_ends(
    db_session, osh, ending
):
    parcel, lessee = f.parcel(db_session, osh), f.lessee(db_session, osh)
    contract_id = _sql_contract(db_session, parcel, lessee)
    assert _status(db_session, parcel.id) == "leased"
    _set(db_session, contract_id, ending)
    assert _status(db_session, parcel.id) == "free"


def test_a_draft_leases_nothing_until_it_is_activated(db_session, osh):
    parcel, lessee = f.parcel(db_session, osh), f.lessee(db_session, osh)
    contract_id = _sql_contract(db_session, parcel, lessee, status="draft")
    assert _status(db_session, parcel.id) == "free"
    _set(db_session, contract_id, "status = 'active'")
    assert _status(db_session, parcel.id) == "leased"


def test_a_parcel_taken_off_its_contract_or_whose_contract_is_deleted_is_free(db_session, osh):
    lessee = f.lessee(db_session, osh)
    first, second = f.parcel(db_session, osh), f.parcel(db_session, osh)
    one = _sql_contract(db_session, first, lessee, number="SQL-1")
    two = _sql_contract(db_session, second, lessee, number="SQL-2")
    db_session.execute(sa.text("DELETE FROM contract_object WHERE contract_id = :c"), {"c": one})
    db_session.execute(sa.text("DELETE FROM lease_contract WHERE id = :c"), {"c": two})
    assert (_status(db_session, first.id), _status(db_session, second.id)) == ("free", "free")


def test_an_object_moved_to_another_parcel_moves_the_lease(db_session, osh):
    first, second = f.parcel(db_session, osh), f.parcel(db_session, osh)
    contract_id = _sql_contract(db_session, first, f.lessee(db_session, osh))
    db_session.execute(
        sa.text("UPDATE contract_object SET parcel_id = :p WHERE contract_id = :c"),
        {"p": second.id, "c": contract_id},
    )
    assert (_status(db_session, first.id), _status(db_session, second.id)) == ("free", "leased")


def test_an_ended_contract_entered_for_the_records_leaves_the_status_alone(db_session, osh):
    parcel = f.parcel(db_session, osh, status=m.ParcelStatus.LEASED)
    _sql_contract(db_session, parcel, f.lessee(db_session, osh), status="expired")
    assert _status(db_session, parcel.id) == "leased"  # the data-quality rule tells


def test_a_parcel_stays_leased_while_another_active_contract_holds_it(db_session, osh):
    parcel, lessee = f.parcel(db_session, osh), f.lessee(db_session, osh)
    old = _sql_contract(db_session, parcel, lessee, number="SQL-1")
    _sql_contract(db_session, parcel, lessee, number="SQL-2")
    _set(db_session, old, "status = 'superseded'")
    assert _status(db_session, parcel.id) == "leased"


@pytest.mark.parametrize("kept", ["reserved", "municipal_use", "disputed"])
def test_an_officers_own_status_is_kept_through_a_contracts_life(db_session, osh, kept):
    parcel = f.parcel(db_session, osh, status=m.ParcelStatus(kept))
    contract_id = _sql_contract(db_session, parcel, f.lessee(db_session, osh))
    assert _status(db_session, parcel.id) == kept
    _set(db_session, contract_id, "status = 'terminated', terminated_on = '2026-01-01'")
    assert _status(db_session, parcel.id) == kept


def test_the_history_records_the_status_change_with_the_writers_user_and_source(
    client, db_session, headers, people, osh
):
    parcel, lessee = f.parcel(db_session, osh), f.lessee(db_session, osh)
    answer = client.post(
        "/api/v1/contracts",
        headers=headers["officer_osh"],
        json={
            "municipality": "osh",
            "number": "ОШ-2026-0500",
            "lessee_id": lessee.id,
            "start_date": "2026-01-01",
            "end_date": "2028-12-31",
            "rent_amount": 60000,
            "basis": "auction",
            "status": "active",
            "objects": [{"parcel_id": parcel.id}],
        },
    )
    assert answer.status_code == 201, answer.get_json()
    assert _status(db_session, parcel.id) == "leased"
    change = db_session.execute(
        sa.select(m.ChangeRecord)
        .where(m.ChangeRecord.table_name == "parcel", m.ChangeRecord.record_id == parcel.id)
        .order_by(m.ChangeRecord.id.desc())
        .limit(1)
    ).scalar_one()
    assert (change.before["status"], change.after["status"]) == ("free", "leased")
    assert (change.source, change.changed_by_id) == ("api", people["officer_osh"].id)

    body = answer.get_json()
    ended = client.patch(
        f"/api/v1/contracts/{body['id']}",
        headers=headers["officer_osh"],
        json={"version": body["version"], "status": "terminated"},
    )
    assert ended.status_code == 200, ended.get_json()
    assert _status(db_session, parcel.id) == "free"


def test_a_parcel_form_opened_before_the_lease_cannot_write_free_back(
    client, db_session, headers, osh
):
    parcel = f.parcel(db_session, osh)
    seen_version = parcel.version
    _sql_contract(db_session, parcel, f.lessee(db_session, osh))
    stale = client.patch(
        f"/api/v1/parcels/{parcel.id}",
        headers=headers["officer_osh"],
        json={"version": seen_version, "status": "free", "note": "checked"},
    )
    assert stale.status_code == 409, stale.get_json()
    assert _status(db_session, parcel.id) == "leased"


def test_an_imported_active_contract_leases_its_parcel(client, db_session, headers, osh):
    parcel = f.parcel(db_session, osh)
    lessee = f.lessee(db_session, osh, external_key="L-900")
    register = (
        "municipality,number,lessee_key,start_date,end_date,contracted_use,rent_amount,"
        "rent_period,basis,status,objects\n"
        f"osh,ОШ-2026-0900,L-900,2026-01-01,2028-12-31,trade,60000,year,auction,active,"
        f"parcel:{parcel.ident_code}\n"
    ).encode()
    answer = client.post(
        "/api/v1/imports",
        headers=headers["officer_osh"],
        data={"kind": "contracts", "file": (io.BytesIO(register), "contracts.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.get_json()
    assert lessee.id and _status(db_session, parcel.id) == "leased"


@pytest.fixture()
def lagging(db_session, osh):
    """A parcel leased by an active contract whose status was forced back to free by
    hand, and a free plot beside it."""
    leased = f.parcel(db_session, osh, ident_code="5-08-01-0777-0001")
    f.contract(db_session, leased)
    db_session.execute(
        sa.text("UPDATE parcel SET status = 'free' WHERE id = :id"), {"id": leased.id}
    )
    free = f.parcel(db_session, osh, ident_code="5-08-01-0777-0002")
    return leased, free


def test_nothing_public_lists_a_leased_plot_as_free(client, lagging):
    leased, free = lagging
    card = client.get(f"/parcels/{leased.id}.json?lang=en").get_json()
    assert card["status"] == "leased" and card["contract"] is not None
    page = client.get("/free?lang=en").get_data(as_text=True)
    assert free.ident_code in page and leased.ident_code not in page
    items = client.get("/ogc/collections/free-plots/items?limit=1000").get_json()
    ids = {feature["id"] for feature in items["features"]}
    assert free.id in ids and leased.id not in ids
    parcels = client.get("/ogc/collections/parcels/items?status=free&limit=1000").get_json()
    assert leased.id not in {feature["id"] for feature in parcels["features"]}


def test_the_data_quality_rule_flags_a_status_against_the_contracts(db_session, osh, lagging):
    leased, free = lagging
    orphan = f.parcel(db_session, osh, status=m.ParcelStatus.LEASED)
    scan(db_session, rules=["dq_status_contract_mismatch"])
    flags = {
        flag.parcel_id: flag
        for flag in db_session.scalars(
            sa.select(m.AnomalyFlag).where(m.AnomalyFlag.rule == "dq_status_contract_mismatch")
        )
    }
    assert set(flags) == {leased.id, orphan.id}
    assert "is marked free, yet contract" in flags[leased.id].message
    assert "is marked leased, yet no contract" in flags[orphan.id].message


def test_a_status_saved_against_the_contracts_is_flagged_at_once(client, db_session, headers, osh):
    parcel = f.parcel(db_session, osh)
    f.contract(db_session, parcel)
    version = db_session.scalar(
        sa.text("SELECT version FROM parcel WHERE id = :id"), {"id": parcel.id}
    )
    saved = client.patch(
        f"/api/v1/parcels/{parcel.id}",
        headers=headers["officer_osh"],
        json={"version": version, "status": "free"},
    )
    assert saved.status_code == 200, saved.get_json()
    flag = db_session.scalar(
        sa.select(m.AnomalyFlag).where(
            m.AnomalyFlag.rule == "dq_status_contract_mismatch",
            m.AnomalyFlag.parcel_id == parcel.id,
        )
    )
    assert flag is not None and flag.status == m.FlagStatus.OPEN
