"""The workspace's routes: each parses the request, calls one service, renders."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_datetime
from flask import (
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    stream_template,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from inventory.audit import bp, charts, downloads, flagmap
from inventory.audit.labels import (
    EVIDENCE_LABELS,
    FILTER_LABELS,
    RULE_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    label,
)
from inventory.database import get_session
from inventory.models import Municipality
from inventory.services.anomalies import dashboard, exports, listing, runs
from inventory.services.anomalies.rules import RULES
from inventory.services.permissions import Actor, can_write, readable_municipality
from inventory.web import formatting
from inventory.web.saving import commit_or_flash

_DETAIL_PLACEHOLDER = 999999999

#: The zone the last scan's time is told in (the whole country keeps Bishkek time).
BISHKEK = ZoneInfo("Asia/Bishkek")


def actor() -> Actor:
    return Actor.of(current_user, source="ui")


@bp.before_request
def signed_in_only():
    """Only signed-in users: others go to the sign-in page and come back after."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


@bp.context_processor
def _labels():
    return {
        "rule_label": lambda c: label(RULE_LABELS, c),
        "status_label": lambda c: label(STATUS_LABELS, c),
        "severity_label": lambda c: label(SEVERITY_LABELS, c),
        "evidence_label": lambda c: label(EVIDENCE_LABELS, c),
        "evidence_value": _evidence_value,
        "filter_label": lambda c: label(FILTER_LABELS, c),
        "filter_value": _filter_value,
        "last_scan": _last_scan,
    }


def _evidence_value(key: str | None, value):
    """An evidence value as the reader reads it: a code by its name, a number or a date
    in the page's language, other text as it is."""
    if key and formatting.code_names().is_coded(key) and isinstance(value, str):
        return formatting.code_name(key, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value if key == "id" else formatting.number(value)
    if isinstance(value, str) and formatting.is_date(value):
        return formatting.day(value)
    return value


def _filter_value(key: str, value) -> str:
    """A filter's value(s) by name (the printable report's heading)."""
    values = value if isinstance(value, list) else [value]
    names = {
        "rule": lambda c: label(RULE_LABELS, c),
        "severity": lambda c: label(SEVERITY_LABELS, c),
        "status": lambda c: label(STATUS_LABELS, c),
        "municipality": lambda c: formatting.code_name("municipality", c),
        "seen_from": formatting.day,
        "seen_to": formatting.day,
    }.get(key, str)
    return ", ".join(str(names(v)) for v in values)


def _last_scan() -> str | None:
    """When the flags the reader sees were last brought up to date by a full scan, in
    the reader's language, Bishkek time with its zone named; None if no scan ever ran."""
    at = runs.last_finished(get_session(), readable_municipality(actor()))
    if at is None:
        return None
    return format_datetime(at, "long", tzinfo=BISHKEK, locale=get_locale())


def _filters() -> listing.FlagFilters:
    return listing.FlagFilters.from_args(request.args)


def _municipalities() -> list[str]:
    return list(get_session().scalars(sa.select(Municipality.slug).order_by(Municipality.slug)))


@bp.get("/flags")
def flag_list():
    """The filtered list, its counts, the map and the export links."""
    filters = _filters()
    result = listing.page(get_session(), actor(), filters)
    args = filters.as_args()
    return render_template(
        "audit/flags.html",
        page=result,
        filters=filters,
        args=args,
        rules=list(RULES),
        statuses=list(STATUS_LABELS),
        severities=list(SEVERITY_LABELS),
        municipalities=_municipalities(),
        map_script=url_for("audit.flag_map_script", **args),
        map_html=_map(args).html,
        map_header=_map(args).header,
    )


def _map(args: dict):
    return flagmap.build(
        data_url=url_for("audit.flag_map_data", **args),
        detail_url=url_for("audit.flag_detail", flag_id=_DETAIL_PLACEHOLDER),
        leaflet_js=url_for("webmap.static", filename="vendor/leaflet/leaflet.js"),
        leaflet_css=url_for("webmap.static", filename="vendor/leaflet/leaflet.css"),
        basemap_url=current_app.config.get("BASEMAP_URL"),
        basemap_name=_("Base map"),
    )


@bp.get("/flags/map.js")
def flag_map_script():
    """The map's script, as a file so that pages need no inline script."""
    script = _map(_filters().as_args()).script
    body = script.replace("<script>", "").replace("</script>", "")
    return Response(body, mimetype="application/javascript")


@bp.get("/flags/map.geojson")
def flag_map_data():
    """The parcels of the filtered flags (capped), for the map."""
    return jsonify(listing.map_layer(get_session(), actor(), _filters()))


@bp.get("/flags/<int:flag_id>")
def flag_detail(flag_id: int):
    flag = listing.detail(get_session(), actor(), flag_id)
    return render_template(
        "audit/flag.html",
        flag=flag,
        flag_records=flag_records(flag),
        may_act=can_write(actor(), flag["municipality_id"]),
    )


def flag_records(flag: dict) -> list[dict]:
    """The records a flag is about, to link to: its parcel, its contract, and the
    inspection, contracts and parcels its evidence names by id."""
    from inventory.services.records import KINDS

    evidence = flag.get("evidence") or {}
    found = [("parcels", flag.get("parcel_id")), ("contracts", flag.get("contract_id"))]
    inspection = evidence.get("inspection") if isinstance(evidence, dict) else None
    if isinstance(inspection, dict):
        found.append(("inspections", inspection.get("id")))
    labels = {"parcels": evidence.get("parcel"), "contracts": evidence.get("contract")}
    if isinstance(inspection, dict):
        labels["inspections"] = formatting.day(inspection.get("date"))
    return [
        {
            "kind": kind,
            "id": record_id,
            "title": KINDS[kind].title,
            "label": labels.get(kind) or record_id,
        }
        for kind, record_id in found
        if isinstance(record_id, int)
    ]


@bp.post("/flags/<int:flag_id>/status")
def flag_status(flag_id: int):
    """Confirm, resolve or dismiss (reason required); CSRF-checked by the app."""
    session = get_session()
    commit_or_flash(
        session,
        lambda: listing.change_status(
            session,
            actor(),
            flag_id,
            request.form.get("status", ""),
            request.form.get("reason"),
        ),
        done=_("Saved."),
    )
    return redirect(url_for("audit.flag_detail", flag_id=flag_id), 303)


@bp.get("/flags/export.csv")
def export_csv():
    return downloads.csv_response(actor(), _filters())


@bp.get("/flags/export.xlsx")
def export_xlsx():
    return downloads.xlsx_response(actor(), _filters())


@bp.get("/flags/export.geojson")
def export_geojson():
    return downloads.geojson_response(actor(), _filters())


@bp.get("/flags/report")
def export_report():
    """The printable report, streamed row by row."""
    filters = _filters()
    listing.filtered(get_session(), actor(), filters)  # refuse before streaming
    rows = exports.rows(get_session(), actor(), filters)
    return Response(
        stream_with_context(stream_template("audit/report.html", rows=rows, filters=filters)),
        mimetype="text/html",
    )


@bp.get("/dashboard")
def dashboard_page():
    """Rent expected vs collected, arrears at year end, flags by rule and status."""
    year = dashboard.parse_year(request.args.get("year"))
    figures = dashboard.build(
        get_session(), actor(), year=year, municipality=request.args.get("municipality") or None
    )
    whole = lambda v: formatting.number(v, 0)  # noqa: E731
    money = charts.grouped_bars(
        [(formatting.month_name(m), (e, c)) for m, e, c in figures.months], whole
    )
    flag_totals = sorted(
        ((rule, sum(by.values())) for rule, by in figures.flags.items()), key=lambda item: -item[1]
    )
    flags = charts.grouped_bars(
        [(str(i + 1), (n,)) for i, (_r, n) in enumerate(flag_totals)], whole
    )
    return render_template(
        "audit/dashboard.html",
        figures=figures,
        money=money,
        flags_chart=flags,
        flag_totals=flag_totals,
        statuses=list(STATUS_LABELS),
        municipalities=_municipalities(),
    )
