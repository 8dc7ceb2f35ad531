"""An import applies every rule the API applies to one record, and says which row, which
field and why, writing nothing of the file: a parcel code off the municipality's pattern
(the security test stored `<img src=x onerror=alert(origin)>` as a code this way), a
polygon outside the municipality, a contract's status going back (a terminated contract
revived to active)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import sqlalchemy as sa
from shapely.geometry import mapping

from inventory import models as m
from tests import factories as f

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")

#: The factory's Osh ends at longitude 72.90: a square there lies half outside it, yet
#: well within the 3 km an import's coordinate-system check allows (imports.placement).
ON_THE_EDGE = f.square(72.90, 40.53, metres=100)


def _import(client, headers, kind: str, name: str, body: str, **form):
    return client.post(
        "/api/v1/imports?lang=en",
        data={"kind": kind, "file": (io.BytesIO(body.encode()), name), **form},
        headers=headers["officer_osh"],
        content_type="multipart/form-data",
    )


def _parcels(features) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": mapping(shape), "properties": props}
                for shape, props in features
            ],
        }
    )


def _count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_code_of_markup_is_refused_as_the_api_refuses_it(client, headers, db_session, osh):
    code = "<img src=x onerror=alert(origin)>"
    body = _parcels(
        [
            (f.square(72.80, 40.53), {"ident_code": "5-08-01-0001-0001", "status": "free"}),
            (f.square(72.81, 40.53), {"ident_code": code, "status": "free"}),
        ]
    )
    answer = _import(client, headers, "parcels", "x.geojson", body)
    assert answer.status_code == 422
    problems = [p for p in answer.get_json()["problems"] if p["severity"] == "error"]
    assert [(p["row"], p["field"]) for p in problems] == [(2, "ident_code")]
    assert "does not match the pattern of the municipality" in problems[0]["message"]
    assert _count(db_session, m.Parcel) == 0  # not even the good row
    api = client.post(
        "/api/v1/parcels?lang=en",
        json={"municipality": "osh", "ident_code": code},
        headers=headers["officer_osh"],
    )
    assert api.status_code == 400 and api.get_json()["message"] == problems[0]["message"]


def test_a_polygon_outside_the_municipality_is_refused_as_the_api_refuses_it(
    client, headers, db_session, osh
):
    body = _parcels(
        [
            (f.square(72.80, 40.53), {"ident_code": "5-08-01-0001-0001"}),
            (ON_THE_EDGE, {"ident_code": "5-08-01-0001-0002"}),
        ]
    )
    answer = _import(client, headers, "parcels", "edge.geojson", body)
    assert answer.status_code == 422
    problems = [p for p in answer.get_json()["problems"] if p["severity"] == "error"]
    assert [(p["row"], p["field"]) for p in problems] == [(2, "geometry")]
    assert "outside the municipality boundary" in problems[0]["message"]
    assert _count(db_session, m.Parcel) == 0
    api = client.post(
        "/api/v1/parcels?lang=en",
        json={
            "municipality": "osh",
            "ident_code": "5-08-01-0001-0003",
            "geometry": mapping(ON_THE_EDGE),
        },
        headers=headers["officer_osh"],
    )
    assert (
        api.status_code == 400 and "outside the municipality boundary" in api.get_json()["message"]
    )


def test_a_building_outside_the_municipality_is_refused(client, headers, db_session, osh):
    body = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": mapping(ON_THE_EDGE),
                    "properties": {"inventory_number": "ИНВ-КРАЙ"},
                }
            ],
        }
    )
    answer = _import(client, headers, "buildings", "b.geojson", body)
    assert answer.status_code == 422
    problems = answer.get_json()["problems"]
    assert [(p["row"], p["field"]) for p in problems] == [(1, "geometry")]
    assert _count(db_session, m.Building) == 0


def test_a_terminated_contract_is_not_revived_by_a_file(client, headers, db_session, osh):
    parcel = f.parcel(db_session, osh)
    contract = f.contract(
        db_session,
        parcel,
        number="ОШ-2018/0016",
        status=m.ContractStatus.TERMINATED,
        terminated_on=dt.date(2025, 3, 1),
    )
    register = (
        "number,lessee_key,start_date,end_date,rent_amount,rent_period,basis,status,objects\n"
        f"ОШ-2018/0016,{contract.lessee.external_key},01.01.2024,31.12.2028,120000,year,"
        f"auction,active,{parcel.ident_code}\n"
    )
    answer = _import(client, headers, "contracts", "revive.csv", register)
    assert answer.status_code == 422
    problems = [p for p in answer.get_json()["problems"] if p["severity"] == "error"]
    assert [(p["row"], p["field"]) for p in problems] == [(1, "status")]
    assert problems[0]["message"] == "a contract cannot go from terminated to active"
    db_session.expire_all()
    kept = db_session.get(m.LeaseContract, contract.id)
    assert kept.status == m.ContractStatus.TERMINATED
    assert kept.terminated_on == dt.date(2025, 3, 1)
    # A change an edit may make goes through: an active contract ended by the file.
    active = f.contract(db_session, f.parcel(db_session, osh), number="ОШ-2020/0001")
    ended = (
        "number,lessee_key,start_date,end_date,rent_amount,rent_period,basis,status,"
        "terminated_on,objects\n"
        f"ОШ-2020/0001,{active.lessee.external_key},01.01.2024,31.12.2028,120000,year,"
        f"auction,terminated,01.06.2026,{active.objects[0].parcel.ident_code}\n"
    )
    answer = _import(client, headers, "contracts", "ended.csv", ended)
    assert answer.status_code == 201, answer.get_json()
    db_session.expire_all()
    assert db_session.get(m.LeaseContract, active.id).status == m.ContractStatus.TERMINATED
