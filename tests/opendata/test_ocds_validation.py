"""The lease contracts' release package validates with libcoveocds, the validator behind
the Open Contracting Partnership's Data Review Tool, against OCDS 1.1.5 with our
`municipalLease` extension, and with no internet: the standard comes from
tests/opendata/ocds_standard (see ocds_offline.py), the extension from the live app."""

from __future__ import annotations

import copy
import json
import socket

import pytest
import requests

from tests.opendata.ocds_offline import InternetBlocked, offline, standard_zip


@pytest.fixture(scope="module")
def package(live):
    with pytest.MonkeyPatch.context() as patch, offline(patch):
        response = requests.get(f"{live}/opendata/ocds/releases.json", timeout=30)
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def standard():
    return standard_zip()


def _validate(package, standard, output_dir, monkeypatch, **config):
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    settings = {"standard_zip": standard, "context": "api", **config}
    with offline(monkeypatch):
        return ocds_json_output(
            str(output_dir),
            json_data=copy.deepcopy(package),
            lib_cove_ocds_config=LibCoveOCDSConfig(settings),
        )


def test_the_package_validates_with_no_errors_and_our_extension_applied(
    live, package, standard, tmp_path, monkeypatch
):
    # The extension is served by the app from inventory/services/opendata/ocds_extension.
    assert package["extensions"] == [f"{live}/opendata/ocds/extension/extension.json"]
    result = _validate(package, standard, tmp_path, monkeypatch)
    assert result["version_used"] == "1.1" and result["count"] == 2
    assert result["validation_errors"] == []
    assert result["extensions"]["invalid_extension"] == {}
    assert result["extensions"]["is_extended_schema"] is True
    assert result["additional_closed_codelist_values"] == {}
    # Every field we write is in the standard or in our extension.
    assert result["additional_fields"] == []
    assert (tmp_path / "extended_schema.json").is_file()


def _contract(package, index=0):
    return package["releases"][index]["contracts"][0]


def _break_status(package):
    _contract(package)["status"] = "leased"


def _break_value(package):
    _contract(package)["value"]["amount"] = "сто тысяч"


def _break_tag(package):
    package["releases"][0]["tag"] = ["lease"]


def _break_ocid(package):
    del package["releases"][1]["ocid"]


def _break_rent_period(package):
    # Only our extension's schema says what a rent period may be: this error proves
    # the extension was applied.
    _contract(package)["municipalLease"]["rentPeriod"] = "week"


def _break_leased_area(package):
    _contract(package)["municipalLease"]["leasedArea"] = -5


@pytest.mark.parametrize(
    ("damage", "path"),
    [
        (_break_value, "releases/0/contracts/0/value/amount"),
        (_break_ocid, "releases/1"),
        (_break_rent_period, "releases/0/contracts/0/municipalLease/rentPeriod"),
        (_break_leased_area, "releases/0/contracts/0/municipalLease/leasedArea"),
    ],
)
def test_a_damaged_package_is_rejected_at_the_damaged_field(
    package, standard, tmp_path, monkeypatch, damage, path
):
    damaged = copy.deepcopy(package)
    damage(damaged)
    errors = _validate(damaged, standard, tmp_path, monkeypatch)["validation_errors"]
    assert path in {error["path"] for error in errors}, errors


@pytest.mark.parametrize(
    ("damage", "field", "code"),
    [
        (_break_status, "releases/contracts/status", "leased"),
        (_break_tag, "releases/tag", "lease"),
    ],
)
def test_a_code_outside_a_closed_codelist_is_reported(
    package, standard, tmp_path, monkeypatch, damage, field, code
):
    # libcoveocds reports these apart from the schema errors, from the codelists the
    # ZIP holds: this fails if standard_zip() stops writing them.
    damaged = copy.deepcopy(package)
    damage(damaged)
    result = _validate(damaged, standard, tmp_path, monkeypatch)
    reported = result["additional_closed_codelist_values"]
    assert field in reported and list(reported[field]["values"]) == [code], reported


def test_offline_lets_only_the_loopback_through(live, standard, tmp_path, monkeypatch):
    port = int(live.rsplit(":", 1)[1])
    with offline(monkeypatch):
        # 0.0.0.0 reaches this machine too, so a broken guard sends nothing outside.
        with pytest.raises(InternetBlocked):
            socket.create_connection(("0.0.0.0", port), timeout=5)
        with pytest.raises(InternetBlocked):
            socket.getaddrinfo("codeload.github.com", 443)
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    # Without our ZIP, libcoveocds asks GitHub for the standard, and is refused.
    package = {
        "version": "1.1",
        "uri": "u",
        "publisher": {"name": "p"},
        "publishedDate": "2024-01-01T00:00:00Z",
        "releases": [],
    }
    with pytest.raises(requests.ConnectionError, match="codeload.github.com"):
        _validate(package, None, tmp_path, monkeypatch)


def test_every_kind_of_lease_validates(
    live, db_session, inventory, standard, tmp_path, monkeypatch
):
    """Beyond the two leases of the shared inventory: a premise leased by area, a lease
    ended early, a yearly rent with no contracted use nor signing date, a superseded
    one, and a lease whose objects are all gone."""
    import datetime as dt

    from inventory import models as m
    from inventory.services.opendata import ocds
    from tests import factories as f

    parcel = f.parcel(db_session, status=m.ParcelStatus.LEASED)
    premise = f.building(db_session, parcel, kind=m.BuildingKind.PREMISE)
    leased = f.contract(
        db_session,
        parcel,
        rent_amount=36000,
        rent_period=m.RentPeriod.YEAR,
        contracted_use=None,
        signed_on=None,
        basis=m.ContractBasis.DECISION,
    )
    leased.objects.append(m.ContractObject(building=premise, leased_area=42.5))
    f.contract(
        db_session,
        status=m.ContractStatus.TERMINATED,
        terminated_on=dt.date(2025, 3, 31),
        leased_area=120,
    )
    f.contract(db_session, status=m.ContractStatus.SUPERSEDED, end_date=dt.date(2024, 6, 30))
    f.contract(db_session).objects.clear()
    db_session.flush()
    text = "".join(
        ocds.package_chunks(
            db_session,
            prefix="ocds-test01-",
            licence="https://creativecommons.org/licenses/by/4.0/",
            uri=f"{live}/opendata/ocds/releases.json",
            extension_url=f"{live}/opendata/ocds/extension/extension.json",
            published=dt.datetime.now(dt.UTC),
        )
    )
    package = json.loads(text)
    assert len(package["releases"]) == 6
    result = _validate(package, standard, tmp_path, monkeypatch)
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    assert result["additional_fields"] == []
