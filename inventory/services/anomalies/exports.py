"""Exports of the filtered flag list: rows for CSV, XLSX and the printable report, and
GeoJSON features, all streamed from a server-side cursor so memory stays flat.

Every row has the same columns (`COLUMNS`): the flag itself, then the amounts and dates
its evidence holds, typed by PostgreSQL (numeric, date) so a spreadsheet can sum and sort
them. Exports are for signed-in readers, yet they never carry lessees' contacts: the only
personal data here is what a rule put in its evidence (no rule puts a contact there).
The codes stay in their columns; `<column>_label` columns at the end name them in the
request's language (Flask-Babel's locale, English outside a request). The web layer
turns the iterators into responses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import has_request_context
from flask_babel import get_locale, gettext

from inventory.models import AnomalyFlag, ContractObject, Municipality, Parcel
from inventory.services import localtime
from inventory.services.anomalies.listing import FlagFilters, filtered, with_labels
from inventory.services.anomalies.messages import describe
from inventory.services.anomalies.rules import RULES
from inventory.services.permissions import Actor
from inventory.services.privacy import N_
from inventory.services.spreadsheet import neutralise

#: Rows fetched per round trip from the server-side cursor.
BATCH = 1000


def _evidence_number(key: str) -> sa.ColumnElement:
    # Evidence values are JSON numbers or numeric strings; anything else becomes NULL
    # rather than failing the whole export.
    text = AnomalyFlag.evidence[key].astext
    return sa.case((text.op("~")(r"^-?\d+(\.\d+)?$"), sa.cast(text, sa.Numeric)), else_=None)


def _evidence_date(*keys: str) -> sa.ColumnElement:
    parts = [AnomalyFlag.evidence[k].astext for k in keys]
    text = sa.func.coalesce(*parts) if len(parts) > 1 else parts[0]
    return sa.case((text.op("~")(r"^\d{4}-\d{2}-\d{2}$"), sa.cast(text, sa.Date)), else_=None)


#: Typed columns taken from the evidence: (name, kind, SQL).
TYPED = (
    ("owed_som", "money", lambda: _evidence_number("owed")),
    ("annual_rent_som", "money", lambda: _evidence_number("annual_rent")),
    ("norm_som", "money", lambda: _evidence_number("norm")),
    ("documented_m2", "number", lambda: _evidence_number("documented_m2")),
    ("measured_m2", "number", lambda: _evidence_number("measured_m2")),
    ("end_date", "date", lambda: _evidence_date("end_date", "ended_on")),
    ("oldest_unpaid_due", "date", lambda: _evidence_date("oldest_unpaid_due")),
)

#: Words for the codes of the coded columns; their `<column>_label` columns (last in
#: every export) give them in the language the export was asked in (`?lang=`).
STATUS_WORDS = {
    "open": N_("open"),
    "confirmed": N_("confirmed"),
    "resolved": N_("resolved"),
    "dismissed": N_("dismissed"),
}
SEVERITY_WORDS = {"info": N_("info"), "warning": N_("warning"), "critical": N_("critical")}
LABELLED = ("rule", "severity", "status", "municipality")

#: Every exported column, in order, with its kind (text, json, datetime, money, number,
#: date). `rule` is the stable rule code, never a translated name; `rule_label` beside
#: it names the rule for people.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("rule", "text"),
    ("severity", "text"),
    ("status", "text"),
    ("municipality", "text"),
    ("object", "text"),
    ("message", "text"),
    ("evidence", "json"),
    ("first_seen", "datetime"),
    ("last_seen", "datetime"),
    *((name, kind) for name, kind, _ in TYPED),
    *((f"{name}_label", "text") for name in LABELLED),
)


def _language() -> str:
    locale = get_locale() if has_request_context() else None
    return locale.language if locale is not None else "en"


def _word(table: dict[str, str], code: str) -> str:
    return gettext(table[code]) if code in table else code


def _labels(flag: AnomalyFlag, names: dict[str, str | None]) -> dict[str, str]:
    """The label columns of a flag's row, in the export's language."""
    rule = RULES.get(flag.rule)
    language = _language()
    return {
        "rule_label": gettext(rule.label) if rule is not None else flag.rule,
        "severity_label": _word(SEVERITY_WORDS, flag.severity.value),
        "status_label": _word(STATUS_WORDS, flag.status.value),
        "municipality_label": names.get(language) or names.get("ru") or "",
    }


def _rows_query(session: so.Session, actor: Actor, filters: FlagFilters) -> sa.Select:
    query = with_labels(filtered(session, actor, filters))
    return query.add_columns(
        *(make().label(name) for name, _, make in TYPED),
        Municipality.name_ky.label("municipality_ky"),
        Municipality.name_ru.label("municipality_ru"),
        Municipality.name_en.label("municipality_en"),
    )


def rows(session: so.Session, actor: Actor, filters: FlagFilters) -> Iterator[dict[str, Any]]:
    """Every filtered flag as a dict of COLUMNS (limit/offset ignored: the whole list),
    fetched BATCH at a time; `evidence` is JSON text, datetimes are Bishkek time (zone-aware),
    money Decimal."""
    statement = _rows_query(session, actor, filters).execution_options(yield_per=BATCH)
    for flag, municipality, obj, *rest in session.execute(statement):
        typed, names = rest[: len(TYPED)], rest[len(TYPED) :]
        row = {
            "rule": flag.rule,
            "severity": flag.severity.value,
            "status": flag.status.value,
            "municipality": municipality,
            "object": obj,
            "message": describe(flag.rule, flag.evidence, flag.message),
            "evidence": json.dumps(flag.evidence, ensure_ascii=False, sort_keys=True),
            "first_seen": localtime.local(flag.first_seen_at),
            "last_seen": localtime.local(flag.last_seen_at),
        }
        row.update(zip((name for name, _, _ in TYPED), typed, strict=True))
        row.update(_labels(flag, dict(zip(("ky", "ru", "en"), names, strict=True))))
        yield row
        # The identity map would otherwise keep every flag of a huge export alive.
        session.expunge(flag)


def plain(value: Any) -> Any:
    """A cell value as JSON or CSV text wants it: moments ISO 8601 in Bishkek time with
    their offset (+06:00), dates ISO, Decimal as str."""
    if isinstance(value, dt.datetime):
        return localtime.iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def features(session: so.Session, actor: Actor, filters: FlagFilters) -> Iterator[str]:
    """The filtered flags as GeoJSON Feature texts (one each), geometry by ST_AsGeoJSON
    from the flag's parcel, or the first parcel its contract leases; null when none."""
    first_parcel = (
        sa.select(ContractObject.parcel_id)
        .where(
            ContractObject.contract_id == AnomalyFlag.contract_id,
            ContractObject.parcel_id.is_not(None),
        )
        .order_by(ContractObject.id)
        .limit(1)
        .correlate(AnomalyFlag)
        .scalar_subquery()
    )
    geometry = (
        sa.select(sa.func.ST_AsGeoJSON(Parcel.geom, 6))
        .where(Parcel.id == sa.func.coalesce(AnomalyFlag.parcel_id, first_parcel))
        .correlate(AnomalyFlag)
        .scalar_subquery()
    )
    statement = (
        _rows_query(session, actor, filters)
        .add_columns(geometry.label("geometry"))
        .execution_options(yield_per=BATCH)
    )
    typed_names = [name for name, _, _ in TYPED]
    for flag, municipality, obj, *rest in session.execute(statement):
        typed, names, geojson = rest[: len(TYPED)], rest[len(TYPED) : -1], rest[-1]
        properties = {
            "id": flag.id,
            "rule": flag.rule,
            "severity": flag.severity.value,
            "status": flag.status.value,
            "municipality": municipality,
            "object": obj,
            "message": describe(flag.rule, flag.evidence, flag.message),
            "evidence": flag.evidence,
            "first_seen": localtime.iso(flag.first_seen_at),
            "last_seen": localtime.iso(flag.last_seen_at),
            **{n: plain(v) for n, v in zip(typed_names, typed, strict=True)},
            **_labels(flag, dict(zip(("ky", "ru", "en"), names, strict=True))),
        }
        session.expunge(flag)
        # The geometry is already JSON text from PostGIS: spliced in, never re-parsed.
        yield (
            '{"type": "Feature", "geometry": '
            + (geojson or "null")
            + ', "properties": '
            + json.dumps(properties, ensure_ascii=False, default=plain)
            + "}"
        )


def csv_chunks(rows_: Iterator[dict[str, Any]], every: int = 200) -> Iterator[str]:
    """CSV text for `rows` in chunks: a UTF-8 byte order mark first (so Excel reads the
    Cyrillic right), the header, then the rows, `every` per chunk, formulas neutralised."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([name for name, _ in COLUMNS])
    for n, row in enumerate(rows_, 1):
        writer.writerow([neutralise(plain(row[name])) for name, _ in COLUMNS])
        if n % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


#: Column widths in the workbook, in characters.
_WIDTHS = {"text": 16, "json": 60, "datetime": 20, "money": 14, "number": 12, "date": 12}
_FORMATS = {
    # A cell holds no zone: Bishkek wall time, and the cell says so.
    "datetime": localtime.XLSX_FORMAT,
    "date": "yyyy-mm-dd",
    "money": "#,##0.00",
    "number": "#,##0.0",
}


def write_xlsx(rows_: Iterator[dict[str, Any]], target, sheet_title: str = "anomalies") -> int:
    """Write `rows` to `target` (a path or binary file) as an XLSX workbook in openpyxl's
    write-only mode (rows go straight to disk): header row frozen, autofilter over all
    rows, widths set, dates and amounts as typed cells. Returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for i, (name, kind) in enumerate(COLUMNS, 1):
        width = 40 if name == "message" else _WIDTHS[kind]
        sheet.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    header = []
    for name, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows_:
        cells = []
        for name, kind in COLUMNS:
            value = row[name]
            if kind == "money" or kind == "number":
                value = float(value) if value is not None else None
            elif kind == "datetime":
                value = localtime.wall(value)
            elif kind in ("text", "json"):
                value = neutralise(value)
            cell = WriteOnlyCell(sheet, value=value)
            if kind in _FORMATS and value is not None:
                cell.number_format = _FORMATS[kind]
            cells.append(cell)
        sheet.append(cells)
        count += 1
    # Write-only sheets take the filter range before saving; it is known only now.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    workbook.save(target)
    return count
