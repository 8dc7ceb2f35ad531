"""The routes of /opendata: the page listing the snapshot, the files themselves (only
from the snapshot folder), and the lease contracts as an OCDS release package."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from flask import Blueprint, current_app, render_template, request, send_from_directory
from flask_babel import force_locale, gettext

from inventory.database import get_public_session
from inventory.i18n import current_language
from inventory.opendata.sending import retry_later, send_snapshot_file
from inventory.services.opendata import ocds, snapshot
from inventory.services.public.layers import DOWNLOADS, LANGUAGES, LAYERS
from inventory.services.public.places import municipality_names

bp = Blueprint("opendata", __name__, url_prefix="/opendata")

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
#: Seconds a downloaded file or the OCDS package may be reused before revalidating.
FILE_MAX_AGE = 3600
OCDS_MAX_AGE = 300
_MEDIA = {
    ".geojson": "application/geo+json",
    ".gpkg": "application/geopackage+sqlite3",
    ".zip": "application/zip",
    ".csv": "text/csv",
    ".json": "application/json",
}


def _folder() -> Path:
    return Path(current_app.config["VAR_DIR"]) / "opendata"


def _dictionary() -> list[dict]:
    """Every downloadable layer's fields, described in each of the three languages."""
    layers = []
    for name in DOWNLOADS:
        layer = LAYERS[name]
        fields = []
        for field in layer.fields:
            described = {"name": field.name, "type": field.type}
            for language in LANGUAGES:
                with force_locale(language):
                    described[language] = gettext(field.description)
            fields.append(described)
        layers.append({"name": name, "title": gettext(layer.title), "fields": fields})
    return layers


@bp.get("", strict_slashes=False)
def index():
    licence = current_app.config["OPENDATA_LICENCE"]
    names = municipality_names(get_public_session(), current_language())
    names["all"] = gettext("All municipalities")
    return render_template(
        "opendata/index.html",
        municipality_names=names,
        snapshot=snapshot.read_snapshot(_folder()),
        dictionary=_dictionary(),
        licence_url=licence,
        licence_name="CC BY 4.0" if licence == CC_BY else licence,
    )


@bp.get("/files/<name>")
def download(name: str):
    # ETag and Last-Modified come from the file: nginx or a CDN may keep it for an hour
    # and then revalidate (the snapshot is rewritten nightly, under the same names).
    return send_snapshot_file(
        _folder(), name, mimetype=_MEDIA.get(Path(name).suffix), max_age=FILE_MAX_AGE
    )


@bp.get("/ocds/releases.json")
def ocds_releases():
    """The OCDS release package of the snapshot (`inventory opendata`, nightly).

    Sent from its file, never built per request: a package of every contract is large,
    and building it for each download let a handful of clients take the app down. Where
    no snapshot has been written yet, the first request writes the package once.
    """
    folder = _folder()
    if not (folder / snapshot.OCDS_FILE).is_file():
        busy = _write_package_once(folder)
        if busy is not None:
            return busy
    return send_snapshot_file(
        folder, snapshot.OCDS_FILE, mimetype="application/json", max_age=OCDS_MAX_AGE
    )


_writing = threading.Lock()


def _write_package_once(folder: Path):
    """Write the OCDS file, or answer 503 (retry) while another request of this process
    writes it: one writer at a time, however many clients ask."""
    if not _writing.acquire(blocking=False):
        return retry_later()
    try:
        if not (folder / snapshot.OCDS_FILE).is_file():
            session = get_public_session()
            snapshot.write_ocds_file(
                session,
                folder,
                prefix=current_app.config["OCDS_OCID_PREFIX"],
                licence=current_app.config["OPENDATA_LICENCE"],
                base_url=request.url_root.rstrip("/"),
                published=snapshot.data_date(session) or dt.datetime.now(dt.UTC),
            )
    finally:
        _writing.release()
    return None


@bp.get("/ocds/extension/<name>")
def ocds_extension(name: str):
    return send_from_directory(ocds.EXTENSION_DIR, name)
