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
    urls = ["/ogc/collections/contracts/items", "/ogc/collections/parcels/items",
            "/ogc/collections/contracts/items?f=html",
            f"/ogc/collections/contracts/items/{inventory.private_contract.id}",
            f"/ogc/collections/contracts/items/{inventory.private_contract.id}?f=html",
            f"/ogc/collections/parcels/items/{inventory.private_parcel.id}"]
    for url in urls:
        _clean(client.get(url).get_data(as_text=True), url)
    contracts = client.get("/ogc/collections/contracts/items").get_json()["features"]
    by_id = {f["id"]: f["properties"] for f in contracts}
    assert by_id[inventory.private_contract.id]["lessee"] is None
    assert by_id[inventory.private_contract.id]["lessee_typ"] == "individual"
    assert by_id[inventory.company_contract.id]["lessee"] == COMPANY_NAME


def test_no_download_or_ocds_file_names_a_private_individual(db_session, inventory, tmp_path,
                                                             client):
    made = snapshot.write_snapshot(db_session, tmp_path, prefix="ocds-x-", licence="x",
                                   base_url="http://example.org")
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
