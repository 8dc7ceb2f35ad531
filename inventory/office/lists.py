"""What the office lists do besides showing a page: export the filtered list (CSV, XLSX),
bring an archived record back, and link a record to its anomaly flags.

An export holds every record the list's filters, search, archived choice and sort select
(not only the page shown): each field's code in its own column, and beside every coded
field (`status`, `designated_use`, `municipality`, ...) a `<field>_label` column naming it
in the page's language.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Mapping
from typing import Any

from flask import Response, abort, g, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from inventory.database import get_session
from inventory.office import bp, related
from inventory.services import localtime
from inventory.services.anomalies.listing import of_record
from inventory.services.records import KINDS, Filters
from inventory.services.records.browse import (
    SORTS,
    archived_choice,
    browse_all,
    filter_fields,
    filter_value,
)
from inventory.services.records.restore import unarchive
from inventory.services.spreadsheet import csv_chunks, write_xlsx
from inventory.web import formatting
from inventory.web.saving import commit_or_flash
from inventory.web.settings import settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def list_arguments(name: str, args: Mapping[str, str]) -> tuple[Filters, str, bool, str]:
    """The list's filters, sort column, direction and archived choice from its query
    string, as the list page reads them."""
    kind = KINDS[name]
    filters = Filters.from_args(
        {k: v for k, v in args.items() if k in ("municipality", "status", "q", "archived")}
    )
    for key, f in filter_fields(kind).items():
        value = filter_value(f, args.get(key, ""))
        if value is not None:
            filters.extra[key] = value
    sort = args.get("sort") if args.get("sort") in SORTS[name] else "id"
    return filters, sort, args.get("dir", "desc") != "asc", archived_choice(args.get("archived"))


def export_columns(name: str) -> list[str]:
    """The columns of an export of `name`: id, municipality, the kind's plain fields, and a
    `<field>_label` after each coded field."""
    kind = KINDS[name]
    names = ["id"] + (["municipality"] if kind.has_municipality else [])
    names += [f.name for f in kind.fields if f.type not in ("objects", "geometry")]
    if name == "contracts":
        names.append("lessee")
    names += ["archived_at"]
    codes = formatting.code_names()
    columns: list[str] = []
    for column in dict.fromkeys(names):
        columns.append(column)
        if codes.is_coded(column):
            columns.append(f"{column}_label")
    return columns


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return None
    if isinstance(value, str) and formatting.is_date(value):
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        # A moment (archived_at): the writers put it in Bishkek time and say so. A text
        # that only starts like one (a note) stays text.
        try:
            return localtime.local(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def export_rows(name: str, columns: list[str], items: Iterator[dict]) -> Iterator[list[Any]]:
    for item in items:
        values = related.flat(name, item)
        yield [
            formatting.code_name(c[: -len("_label")], values.get(c[: -len("_label")]), name)
            if c.endswith("_label")
            else _cell(values.get(c))
            for c in columns
        ]


@bp.get("/<name>/export.<fmt>")
def export_list(name: str, fmt: str):
    """The filtered list as CSV or XLSX (every matching record, in the list's order)."""
    if name not in KINDS or fmt not in ("csv", "xlsx"):
        abort(404)
    filters, sort, descending, archived = list_arguments(name, request.args)
    session = get_session()
    columns = export_columns(name)
    items = browse_all(session, g.actor, name, KINDS[name], filters, sort, descending, archived)
    first = next(items, None)  # refusals (another city's list) before the first byte

    def everything() -> Iterator[dict]:
        if first is not None:
            yield first
            yield from items

    filename = f"{name}-{dt.date.today().isoformat()}.{fmt}"
    if fmt == "xlsx":
        handle = tempfile.TemporaryFile(suffix=".xlsx")
        write_xlsx(columns, export_rows(name, columns, everything()), handle, name)
        handle.seek(0)
        return send_file(handle, mimetype=XLSX, as_attachment=True, download_name=filename)
    # Read every row while the request's session is open (a city's list, not a country's):
    # rows read while the answer is being sent found their records detached.
    rows = list(export_rows(name, columns, everything()))
    chunks = csv_chunks(columns, iter(rows))
    return Response(
        (c.encode("utf-8") for c in chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/<name>/<int:record_id>/unarchive")
def unarchive_record(name: str, record_id: int):
    """Bring an archived record back to the lists, as one more change in its history."""
    if name not in KINDS:
        abort(404)
    session = get_session()
    raw = request.form.get("version", "")
    commit_or_flash(
        session,
        lambda: unarchive(
            session,
            g.actor,
            KINDS[name],
            record_id,
            int(raw) if raw.isdecimal() else None,
            settings(),
        ),
        done=_("Restored from the archive: the record is back in the lists."),
        refused=_l("Not restored: %(reason)s"),
    )
    return redirect(url_for("office.record", name=name, record_id=record_id), 303)


@bp.app_context_processor
def _record_flags():
    """`record_flags(name, id)`: the anomaly flags about a record, for its page."""

    def record_flags(name: str, record_id: int) -> list[dict[str, Any]]:
        actor = g.get("actor")
        if actor is None:
            return []
        return of_record(get_session(), actor, name, record_id)

    return {"record_flags": record_flags}
