"""Export responses shared by the workspace and the API: the service's iterators turned
into streamed (CSV, GeoJSON) or temp-file (XLSX) downloads, named for the day in Bishkek.
Moments inside are Bishkek time with their offset (inventory.services.localtime)."""

from __future__ import annotations

import tempfile

from flask import Response, send_file, stream_with_context

from inventory.database import get_session
from inventory.services import localtime
from inventory.services.anomalies import exports
from inventory.services.anomalies.listing import FlagFilters, filtered
from inventory.services.permissions import Actor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _name(suffix: str) -> str:
    # The day in Bishkek: a server keeping UTC is still on yesterday until 06:00.
    return f"anomalies-{localtime.today().isoformat()}.{suffix}"


def _check(actor: Actor, filters: FlagFilters) -> None:
    # Refuse (403/404) before the first byte: once streaming, no error page can follow.
    filtered(get_session(), actor, filters)


def csv_response(actor: Actor, filters: FlagFilters) -> Response:
    _check(actor, filters)
    chunks = exports.csv_chunks(exports.rows(get_session(), actor, filters))
    return Response(
        stream_with_context(c.encode("utf-8") for c in chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_name("csv")}"'},
    )


def geojson_response(actor: Actor, filters: FlagFilters) -> Response:
    _check(actor, filters)

    def body():
        yield '{"type": "FeatureCollection", "features": ['
        for n, feature in enumerate(exports.features(get_session(), actor, filters)):
            yield ("," if n else "") + "\n" + feature
        yield "\n]}\n"

    return Response(
        stream_with_context(body()),
        mimetype="application/geo+json",
        headers={"Content-Disposition": f'attachment; filename="{_name("geojson")}"'},
    )


def xlsx_response(actor: Actor, filters: FlagFilters) -> Response:
    """The workbook goes to an anonymous temp file (deleted when closed, after sending):
    the write-only workbook never holds the rows in memory."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    exports.write_xlsx(exports.rows(get_session(), actor, filters), handle)
    handle.seek(0)
    return send_file(handle, mimetype=XLSX, as_attachment=True, download_name=_name("xlsx"))
