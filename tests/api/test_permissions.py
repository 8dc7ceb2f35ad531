"""Who may do what through the API: roles and municipalities."""

from __future__ import annotations

import pytest

from inventory.models import Role
from inventory.services.errors import Forbidden
from inventory.services.permissions import Actor, can_read, require_write
from tests import factories as f


def test_the_public_gets_401_from_the_api(client, osh):
    response = client.get("/api/v1/parcels")
    assert response.status_code == 401
    assert response.get_json()["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.post("/api/v1/parcels", json={}).status_code == 401


def test_a_made_up_token_gets_401(client):
    response = client.get("/api/v1/parcels", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_an_officer_of_osh_cannot_change_a_jalal_abad_parcel(
    client, db_session, headers, jalalabad
):
    parcel = f.parcel(db_session, jalalabad, shape=f.square(73.0, 40.933))
    response = client.patch(
        f"/api/v1/parcels/{parcel.id}",
        headers=headers["officer_osh"],
        json={"version": parcel.version, "address": "ул. Чужая, 1"},
    )
    assert response.status_code == 403
    assert response.get_json()["error"]
    db_session.refresh(parcel)
    assert parcel.address != "ул. Чужая, 1"


def test_an_officer_of_osh_cannot_create_in_jalal_abad(client, headers, jalalabad):
    response = client.post(
        "/api/v1/lessees",
        headers=headers["officer_osh"],
        json={"municipality": "jalal-abad", "kind": "individual", "name": "Иванов И."},
    )
    assert response.status_code == 403


def test_an_officer_sees_only_their_own_city(client, db_session, headers, osh, jalalabad):
    f.parcel(db_session, osh)
    ja = f.parcel(db_session, jalalabad, shape=f.square(73.0, 40.933))
    listed = client.get("/api/v1/parcels", headers=headers["officer_osh"]).get_json()
    assert {p["properties"]["municipality"] for p in listed["items"]} == {"osh"}
    assert client.get(f"/api/v1/parcels/{ja.id}", headers=headers["officer_osh"]).status_code == 403


def test_an_auditor_reads_everything_but_cannot_write(client, db_session, headers, osh, jalalabad):
    parcel = f.parcel(db_session, osh)
    f.parcel(db_session, jalalabad, shape=f.square(73.0, 40.933))
    listed = client.get("/api/v1/parcels", headers=headers["auditor"]).get_json()
    assert listed["total"] == 2
    response = client.patch(
        f"/api/v1/parcels/{parcel.id}",
        headers=headers["auditor"],
        json={"version": parcel.version, "note": "x"},
    )
    assert response.status_code == 403
    assert (
        client.delete(f"/api/v1/parcels/{parcel.id}", headers=headers["auditor"]).status_code == 403
    )


def test_an_admin_may_change_any_city(client, db_session, headers, jalalabad):
    parcel = f.parcel(db_session, jalalabad, shape=f.square(73.0, 40.933))
    response = client.patch(
        f"/api/v1/parcels/{parcel.id}",
        headers=headers["admin"],
        json={"version": parcel.version, "note": "checked"},
    )
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize(
    "role, municipality, target, readable, writable",
    [
        (Role.ADMIN, None, 2, True, True),
        (Role.OFFICER, 1, 1, True, True),
        (Role.OFFICER, 1, 2, False, False),
        (Role.AUDITOR, None, 2, True, False),
    ],
)
def test_the_rules_in_one_place(role, municipality, target, readable, writable):
    actor = Actor(user_id=1, role=role, municipality_id=municipality)
    assert can_read(actor, target) is readable
    if writable:
        require_write(actor, target)
    else:
        with pytest.raises(Forbidden):
            require_write(actor, target)
