"""No OGC answer, download or OCDS file names a private individual or shows their
contacts, documents or ИНН; a company's name is public."""

from __future__ import annotations

from pathlib import Path

from inventory.services.opendata import snapshot
from tests.opendata.conftest import COMPANY_NAME, PRIVATE_DOCUMENT, PRIVATE_NAME, PRIVATE_PHONE

SECRETS = (PRIVATE_NAME, "Асанов", PRIVATE_PHONE, PRIVATE_DOCUMENT, "asanov@example.kg")


def _clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in {where}"


def test_no_ogc_answer_names_a_private_individual(client, inventory):
    objects = {"contracts": inventory.private_contract.id, "parcels": inventory.private_parcel.id}
    urls = []
    for collection in ("parcels", "buildings", "zones", "free-plots", "contracts"):
        base = f"/ogc/collections/{collection}"
        urls += [base, f"{base}/items"]
        if collection in objects:
            urls.append(f"{base}/items/{objects[collection]}")
    urls = [url + fmt for url in urls for fmt in ("?f=json", "?f=html")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _clean(response.get_data(as_text=True), url)
    contracts = client.get("/ogc/collections/contracts/items").get_json()["features"]
    by_id = {f["id"]: f["properties"] for f in contracts}
    assert by_id[inventory.private_contract.id]["lessee"] is None
    assert by_id[inventory.private_contract.id]["lessee_typ"] == "individual"
    assert by_id[inventory.company_contract.id]["lessee"] == COMPANY_NAME


def test_no_download_or_ocds_file_names_a_private_individual(
    db_session, inventory, tmp_path, client
):
    made = snapshot.write_snapshot(
        db_session, tmp_path, prefix="ocds-x-", licence="x", base_url="http://example.org"
    )
    company_seen = False
    for entry in made.files:
        data = (tmp_path / entry.name).read_bytes()
        if entry.name.endswith(".zip"):
            import zipfile

            archive = zipfile.ZipFile(tmp_path / entry.name)
            data = b"".join(archive.read(n) for n in archive.namelist())
        text = data.decode("utf-8", errors="replace")
        _clean(text, entry.name)
        company_seen |= COMPANY_NAME in text
    assert company_seen
    _clean(Path(tmp_path / "ocds-releases.json").read_text(encoding="utf-8"), "ocds")
    _clean(client.get("/opendata/ocds/releases.json").get_data(as_text=True), "ocds endpoint")


def test_a_parcel_leased_now_to_a_private_individual_shows_the_kind_not_the_person(
    client, db_session, inventory, tmp_path
):
    # The shared inventory's private lease has expired, so the parcel layers would not
    # show its lessee anyway: this one is active.
    from inventory import models as m
    from inventory.services.opendata import export
    from inventory.services.public.layers import LAYERS
    from tests import factories as f

    person = f.lessee(
        db_session,
        kind=m.LesseeKind.INDIVIDUAL,
        name="Токтогулова Айгүл",
        phone="+996 700 000 111",
        document="AN7654321",
    )
    parcel = f.parcel(db_session, status=m.ParcelStatus.LEASED)
    f.contract(db_session, parcel, lessee=person)
    secrets = ("Токтогулова", "+996 700 000 111", "AN7654321")
    feature = client.get(f"/ogc/collections/parcels/items/{parcel.id}").get_json()
    assert feature["properties"]["lessee_typ"] == "individual"
    assert feature["properties"]["lessee"] is None and feature["properties"]["contract"]
    texts = {
        url: client.get(url).get_data(as_text=True)
        for url in (
            "/ogc/collections/parcels/items?f=json",
            "/ogc/collections/parcels/items?f=html",
            f"/ogc/collections/parcels/items/{parcel.id}?f=html",
        )
    }
    for fmt, suffix in export.FORMATS.items():
        path = tmp_path / f"parcels{suffix}"
        export.write(db_session, LAYERS["parcels"], fmt, path)
        if fmt == "shp":
            import zipfile

            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(n) for n in archive.namelist())
        else:
            data = path.read_bytes()
        texts[path.name] = data.decode("utf-8", errors="replace")
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaked in {where}"
