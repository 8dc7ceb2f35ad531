"""Natural persons in every public output: an individual entrepreneur (ИП) is shown by its
trade name only, a private individual not at all.

The lessees are rows of the demo's own register (data/demo/lessees.csv), stored with the
kind the demo gives them: an ИП with its personal 14-digit ИНН, phone, address and
certificate, and a private individual with ИНН and phone. Every public output is fetched
- the card, its JSON, /free, search, a vector tile, OGC items, every open-data file and
the OCDS package - and none may hold the ИП's ИНН or contacts or anything of the person.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import mapbox_vector_tile
import pytest

from inventory import models as m
from inventory.services.opendata import snapshot
from tests import factories as f
from tests.webmap.conftest import flag, tile_path

DEMO_LESSEES = Path(__file__).resolve().parents[1] / "data" / "demo" / "lessees.csv"


def _demo_lessee(session, row: dict[str, str]) -> m.Lessee:
    return f.lessee(
        session,
        kind=m.LesseeKind(row["kind"]),
        name=row["name"],
        inn=row["inn"],
        phone=row["phone"],
        email=row["email"] or "trader@example.kg",
        address=row["address"],
        document=row["document"],
        contact_person="Бухгалтер Сыдыкова Гүлнара",
    )


@pytest.fixture()
def natural_persons(db_session):
    """A parcel leased to a demo ИП and one to a demo private individual (active leases)."""
    with DEMO_LESSEES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    trader = next(r for r in rows if r["name"].startswith("ИП ") and r["email"])
    person = next(r for r in rows if r["kind"] == "individual" and r["inn"] and r["email"])
    parcels = {}
    for key, row in (("trader", trader), ("person", person)):
        parcel = f.parcel(db_session, status=m.ParcelStatus.LEASED)
        contract = f.contract(db_session, parcel, lessee=_demo_lessee(db_session, row))
        parcels[key] = (parcel, contract)
        # A confirmed problem puts the contract on the card's public list of problems.
        flag(db_session, contract=contract, rule="contract_expired_active")
    secrets = [trader[k] for k in ("inn", "phone", "email", "address", "document")]
    secrets += ["Бухгалтер Сыдыкова"]
    secrets += [person[k] for k in ("name", "inn", "phone", "email", "address", "document")]
    # The surname alone, as a name is also written "Surname I. O.".
    secrets.append(person["name"].split()[0])
    return {"trader": trader, "parcels": parcels, "secrets": secrets}


def _unpacked(path: Path) -> str:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    else:
        data = path.read_bytes()
    return data.decode("utf-8", errors="replace")


def _public_outputs(client, db_session, natural_persons, folder: Path) -> dict[str, str]:
    """Every public output that could carry a lessee, by where it came from."""
    trade_name = natural_persons["trader"]["name"]
    texts: dict[str, str] = {}

    def get(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.get_data(as_text=True)
        return texts[url]

    for parcel, contract in natural_persons["parcels"].values():
        get(f"/parcels/{parcel.id}")
        get(f"/parcels/{parcel.id}.json")
        get(f"/ogc/collections/parcels/items/{parcel.id}?f=json")
        get(f"/ogc/collections/parcels/items/{parcel.id}?f=html")
        get(f"/ogc/collections/contracts/items/{contract.id}?f=json")
        tile = client.get(tile_path(parcel, z=16))
        assert tile.status_code == 200
        decoded = mapbox_vector_tile.decode(tile.data)
        texts[f"tile of {parcel.id}"] = repr(decoded)
    for url in (
        "/free",
        "/free.atom",
        "/auctions",
        "/auctions.atom",
        "/stats",
        "/ogc/collections/parcels/items?f=json&limit=1000",
    ):
        get(url)
    get("/ogc/collections/contracts/items?f=json&limit=1000")
    get("/ogc/collections/contracts/items?f=html&limit=1000")
    for query in [trade_name, *natural_persons["secrets"]]:
        # The answer repeats the query: only what it found counts.
        answer = client.get("/search", query_string={"q": query}).get_json()
        texts[f"search {query!r}"] = json.dumps(answer["results"], ensure_ascii=False)
    made = snapshot.write_snapshot(
        db_session, folder, prefix="ocds-x-", licence="x", base_url="http://example.org"
    )
    for entry in made.files:
        texts[entry.name] = _unpacked(folder / entry.name)
    get("/opendata/ocds/releases.json")
    return texts


def test_no_public_output_shows_a_natural_persons_inn_contacts_or_a_private_name(
    client, db_session, natural_persons, tmp_path
):
    texts = _public_outputs(client, db_session, natural_persons, tmp_path)
    assert len(texts) > 30
    for where, text in texts.items():
        for secret in natural_persons["secrets"]:
            assert secret not in text, f"{secret!r} leaked in {where}"


def test_an_entrepreneur_is_shown_by_its_trade_name_everywhere_a_lessee_is(
    client, db_session, natural_persons, tmp_path
):
    trader = natural_persons["trader"]
    parcel, contract = natural_persons["parcels"]["trader"]
    assert trader["kind"] == "individual_entrepreneur"  # as the demo stores every ИП
    assert trader["name"] in client.get(f"/parcels/{parcel.id}").get_data(as_text=True)
    card = client.get(f"/parcels/{parcel.id}.json").get_json()["contract"]["lessee"]
    assert card == {
        "kind": "individual_entrepreneur",
        "private": False,
        "name": trader["name"],
        "inn": None,
    }
    hits = client.get("/search", query_string={"q": trader["name"]}).get_json()
    assert parcel.id in {hit["id"] for hit in hits["results"]}
    item = client.get(f"/ogc/collections/contracts/items/{contract.id}?f=json").get_json()
    assert (item["properties"]["lessee"], item["properties"]["lessee_inn"]) == (
        trader["name"],
        None,
    )
    assert item["properties"]["lessee_typ"] == "individual_entrepreneur"
    tile = mapbox_vector_tile.decode(client.get(tile_path(parcel, z=16)).data)
    shown = {feat["properties"]["id"]: feat["properties"] for feat in tile["parcels"]["features"]}
    assert shown[parcel.id]["lessee"] == trader["name"]
    package = client.get("/opendata/ocds/releases.json").get_json()
    (release,) = [r for r in package["releases"] if r["contracts"][0]["id"] == str(contract.id)]
    supplier = next(p for p in release["parties"] if "supplier" in p["roles"])
    assert supplier["name"] == trader["name"] and "identifier" not in supplier
