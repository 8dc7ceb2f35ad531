"""The routes of /opendata: the page listing the snapshot, the files themselves (only
from the snapshot folder), and the lease contracts as an OCDS release package."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    send_from_directory,
    stream_with_context,
    url_for,
)
from flask_babel import force_locale, gettext

from inventory.database import get_public_session
from inventory.services.opendata import ocds, snapshot
from inventory.services.public.layers import DOWNLOADS, LANGUAGES, LAYERS

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
    return render_template(
        "opendata/index.html",
        snapshot=snapshot.read_snapshot(_folder()),
        dictionary=_dictionary(),
        licence_url=licence,
        licence_name="CC BY 4.0" if licence == CC_BY else licence,
    )


@bp.get("/files/<name>")
def download(name: str):
    # send_from_directory refuses any name that leaves the folder (.., absolute paths).
    media = _MEDIA.get(Path(name).suffix)
    # ETag and Last-Modified come from the file: nginx or a CDN may keep it for an hour
    # and then revalidate (the snapshot is rewritten nightly, under the same names).
    response = send_from_directory(
        _folder(), name, mimetype=media, as_attachment=True, max_age=FILE_MAX_AGE
    )
    response.cache_control.public = True
    return response


@bp.get("/ocds/releases.json")
def ocds_releases():
    session = get_public_session()
    changed = snapshot.data_date(session)
    uri = url_for("opendata.ocds_releases", _external=True)
    # The package is streamed, so its ETag cannot be a hash of it: it is the moment the
    # data last changed (and the settings the package carries), known before streaming.
    etag = hashlib.blake2b(
        f"{changed}|{uri}|{current_app.config['OCDS_OCID_PREFIX']}|"
        f"{current_app.config['OPENDATA_LICENCE']}".encode(),
        digest_size=16,
    ).hexdigest()
    if changed is not None and request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        chunks = ocds.package_chunks(
            session,
            prefix=current_app.config["OCDS_OCID_PREFIX"],
            licence=current_app.config["OPENDATA_LICENCE"],
            uri=uri,
            extension_url=url_for("opendata.ocds_extension", name="extension.json", _external=True),
            published=changed or _now(),
        )
        response = Response(stream_with_context(chunks), mimetype="application/json")
    if changed is not None:
        response.set_etag(etag, weak=True)
    response.cache_control.public = True
    response.cache_control.max_age = OCDS_MAX_AGE
    return response


@bp.get("/ocds/extension/<name>")
def ocds_extension(name: str):
    return send_from_directory(ocds.EXTENSION_DIR, name)


def _now():
    import datetime as dt

    return dt.datetime.now(dt.UTC)
