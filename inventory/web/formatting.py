"""Numbers, money, dates and codes as the page's reader reads them: one set of Jinja
filters for every office, audit and public template (registered by the app factory).

- `number` (85 243 984,34 in ky/ru, 85,243,984.34 in en), `money` (with "сом"/"som"),
  `day` (2 декабря 2026 г.), `moment` (a day and a time, Bishkek time), `month_name`
  (for charts), `dash` ("—" for an empty value);
- `shown(value, field, kind)`: a record's value as its page shows it: a code by its name
  (inventory.services.code_names), a date as a day, a decimal as a number, yes/no, "—";
- `code_name(field, code)`, `rule_name(code)` and `change_lines(kind, change)` (a history
  entry as lines: inventory.services.records.changes) as template globals.

The formats come from Babel's locale data for the request's locale (Flask-Babel), so
Kyrgyz pages get Kyrgyz month names.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Flask, g, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from inventory.i18n import current_language

DASH = "—"
#: The country keeps Bishkek time: moments are told in it, with no zone to choose.
BISHKEK = ZoneInfo("Asia/Bishkek")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _locale():
    return get_locale() if has_request_context() else None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number(value: Any, digits: int | None = None) -> str:
    """A number grouped and with the decimal sign of the locale; `digits` fixes the
    decimals (else up to 3, trailing zeros dropped). Text that is no number is kept."""
    if _empty(value):
        return DASH
    if isinstance(value, bool):
        return str(value)
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except ArithmeticError:
        return str(value)
    pattern = "#,##0." + "0" * digits if digits else ("#,##0" if digits == 0 else "#,##0.###")
    return babel_numbers.format_decimal(amount, format=pattern, locale=_locale() or "en")


def group_symbol() -> str:
    """The sign that groups a number's thousands in the page's language (a no-break
    space in ky and ru, a comma in en), for scripts that count on the page."""
    return babel_numbers.get_group_symbol(_locale() or "en")


def decimal_symbol() -> str:
    """The decimal sign of the page's language (a comma in ky and ru, a point in en)."""
    return babel_numbers.get_decimal_symbol(_locale() or "en")


def file_size(size: int | None) -> str:
    """A file's size as the page's language writes it: "1,9 МБ", "341,4 KB"."""
    if size is None:
        return DASH
    for limit, unit in ((1024**3, _("GB")), (1024**2, _("MB")), (1024, _("KB"))):
        if size >= limit:
            return f"{number(round(size / limit, 1))}\u00a0{unit}"
    unit = _("bytes")  # outside the f-string, where the catalogue's extractor finds it
    return f"{number(size)}\u00a0{unit}"


def money(value: Any) -> str:
    """An amount in som with two decimals: "85 243 984,34 сом"."""
    if _empty(value):
        return DASH
    som = _("som")  # outside the f-string, where the catalogue's extractor finds it
    return f"{number(value, 2)}\u00a0{som}"


def _as_datetime(value: Any) -> dt.date | dt.datetime | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if _DAY.match(text):
                return dt.date.fromisoformat(text)
            if _MOMENT.match(text):
                return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def day(value: Any) -> str:
    """A date (or the day of a moment) in words: "2 декабря 2026 г.", "2026-ж., 2-декабрь"."""
    if _empty(value):
        return DASH
    when = _as_datetime(value)
    if when is None:
        return str(value)
    if isinstance(when, dt.datetime):
        when = (when.astimezone(BISHKEK) if when.tzinfo else when).date()
    return babel_dates.format_date(when, "long", locale=_locale() or "en")


def moment(value: Any) -> str:
    """A moment as its day and Bishkek time: "2 декабря 2026 г., 14:05"."""
    if _empty(value):
        return DASH
    when = _as_datetime(value)
    if not isinstance(when, dt.datetime):
        return day(value)
    if when.tzinfo is not None:
        when = when.astimezone(BISHKEK)
    locale = _locale() or "en"
    return (
        f"{babel_dates.format_date(when.date(), 'long', locale=locale)}, "
        f"{babel_dates.format_time(when.time(), 'HH:mm', locale=locale)}"
    )


def month_name(month: Any, width: str = "abbreviated") -> str:
    """The name of month 1..12 as it stands alone (a chart's axis): "дек.", "Дек"."""
    names = babel_dates.get_month_names(width, context="stand-alone", locale=_locale() or "en")
    return names.get(int(month), str(month))


def is_date(value: Any) -> bool:
    """Whether `value` is a date or moment in ISO text."""
    return isinstance(value, str) and bool(_DAY.match(value) or _MOMENT.match(value))


def dash(value: Any) -> Any:
    return DASH if _empty(value) else value


# -- codes ---------------------------------------------------------------------------


def code_names():
    """The request's CodeNames (reference tables read once per request)."""
    from inventory.services.code_names import CodeNames

    language = current_language()
    cached = g.get("_code_names") if has_request_context() else None
    if cached is None or cached.language != language:
        # Reference tables are public: a public page reads them through its own session;
        # a page that has the ordinary session open already (the workspace) through that.
        from inventory.database import get_public_session, get_session

        session = get_session() if "db_session" in g else get_public_session()
        cached = CodeNames(session, language)
        if has_request_context():
            g._code_names = cached
    return cached


def _field(field: str, kind: str | None):
    from inventory.services.records import KINDS

    kinds = [KINDS[kind]] if kind in KINDS else list(KINDS.values())
    return next((k.field(field) for k in kinds if k.field(field) is not None), None)


def _field_type(field: str, kind: str | None) -> str | None:
    f = _field(field, kind)
    if f is None:
        return None
    return f.shows if f.type == "shown" else f.type


def _record_label(kind: str, record_id: int) -> str | None:
    """How a page names the record an id field points at (a parcel by its code and
    address...), for a signed-in reader who may read it; None otherwise."""
    actor = g.get("actor") if has_request_context() else None
    if actor is None:
        return None
    from inventory.database import get_session
    from inventory.services.records.lookup import label_of

    return label_of(get_session(), actor, kind, record_id)


def code_name(field: str, code: Any, kind: str | None = None) -> Any:
    """The name of a code of `field` in the page's language ("—" for none)."""
    if _empty(code):
        return DASH
    return code_names().name(field, code, kind)


def rule_name(code: str) -> str:
    return code_names().rule(code)


def shown(value: Any, field: str, kind: str | None = None) -> Any:
    """A record's value of `field` as its page shows it."""
    if _empty(value):
        return DASH
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    names = code_names()
    if names.is_coded(field):
        return names.name(field, value, kind)
    if field == "municipality_id" and isinstance(value, int):
        return names.municipality(value)
    described = _field(field, kind)
    if described is not None and described.type == "record" and isinstance(value, int):
        return _record_label(described.record, value) or value
    if isinstance(value, dict | list):
        return DASH  # geometry and nested rows have pages and sentences of their own
    kind_of = _field_type(field, kind)
    if kind_of == "date" or (kind_of is None and isinstance(value, str) and _DAY.match(value)):
        return day(value)
    if isinstance(value, str) and _MOMENT.match(value):
        return moment(value)
    if kind_of == "decimal":
        # Every decimal field of a record is an area or an amount of som with two
        # decimals: 1 137,00 beside 593,15, as registers write them.
        return number(value, 2)
    if isinstance(value, float | Decimal):
        return number(value)
    return value


def change_lines(kind_name: str, change: dict[str, Any]) -> list[dict[str, Any]]:
    """The changed fields of one history entry, each with its before and after as the
    page shows them (a polygon by its area, a point by its coordinates)."""
    from inventory.database import get_session
    from inventory.services.records import KINDS
    from inventory.services.records.changes import readable

    lines = []
    square_metres = _("m²")
    for line in readable(get_session(), KINDS[kind_name], change):
        if line.kind_of == "area":
            before, after = (
                (DASH if v is None else f"{number(v, 0)}\u00a0{square_metres}")
                for v in (line.before, line.after)
            )
        elif line.kind_of == "point":
            before, after = dash(line.before), dash(line.after)
        else:
            before, after = (shown(v, line.field, kind_name) for v in (line.before, line.after))
        lines.append({"field": line.field, "before": before, "after": after})
    return lines


#: Labels of what a record page or its history shows beside the descriptor's fields.
EXTRA_LABELS = {
    "geometry_problem": _l("Polygon problem"),
    "annual_rent": _l("Annual rent, som"),
    "previous_id": _l("Previous contract"),
    "municipality_id": _l("Municipality"),
    "position": _l("Where the inspector stood"),
    "geometry": _l("Polygon"),
    "lessee": _l("Lessee"),
}
#: Where a change came from, as the history's "who" column tells it.
SOURCE_LABELS = {
    "ui": _l("workspace"),
    "api": _l("API"),
    "cli": _l("command line"),
    "import": _l("import"),
    "demo": _l("demo data"),
}


def _labels() -> dict[str, Any]:
    from inventory.services.records import KINDS
    from inventory.services.records.descriptor import COMMON_LABELS

    labels: dict[str, Any] = dict(COMMON_LABELS)
    for kind in KINDS.values():
        for f in kind.fields:
            labels.setdefault(f.name, f.label)
    return labels


#: An anomaly flag's status, as a record page lists its flags.
FLAG_STATUSES = {
    "open": _l("open"),
    "confirmed": _l("confirmed"),
    "resolved": _l("resolved"),
    "dismissed": _l("dismissed"),
}


def flag_status_name(status: str) -> str:
    label = FLAG_STATUSES.get(status)
    return str(label) if label is not None else status


def field_label(field: str) -> str:
    """The label of a record field (or of a value a page shows beside them)."""
    label = _labels().get(field) or EXTRA_LABELS.get(field)
    return str(label) if label is not None else field.replace("_", " ")


def source_label(source: str) -> str:
    label = SOURCE_LABELS.get(source)
    return str(label) if label is not None else source


FILTERS = {
    "number": number,
    "file_size": file_size,
    "money": money,
    "day": day,
    "moment": moment,
    "month_name": month_name,
    "dash": dash,
    "shown": shown,
}
GLOBALS = {
    "code_name": code_name,
    "rule_name": rule_name,
    "change_lines": change_lines,
    "field_label": field_label,
    "source_label": source_label,
    "flag_status_name": flag_status_name,
    "group_symbol": group_symbol,
}


def request_namer(field: str, value: Any) -> Any:
    """How flag sentences name a value on a page (inventory.services.anomalies.messages):
    a code by its name, a number and a date in the page's language."""
    if field == "#number":
        return number(value)
    if field == "#value":
        return day(value) if is_date(value) else value
    return code_names().name(field, value)


def register(app: Flask) -> None:
    """Make the filters and globals available to every template of `app`, and let flag
    sentences speak the page's language."""
    from inventory.services.anomalies import messages

    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(GLOBALS)
    messages.REQUEST_NAMER = request_namer
