"""Names people read for the codes the data keeps (rules, statuses, severities, evidence
keys), in their language. Exports keep the codes: they are stable, names are not."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from inventory.services.anomalies.rules import RULES

#: Each rule's name, from its descriptor (inventory/services/anomalies/rules).
RULE_LABELS = {code: _l(rule.label) for code, rule in RULES.items()}
STATUS_LABELS = {
    "open": _l("open"),
    "confirmed": _l("confirmed"),
    "resolved": _l("resolved"),
    "dismissed": _l("dismissed"),
}
SEVERITY_LABELS = {"info": _l("info"), "warning": _l("warning"), "critical": _l("critical")}
EVIDENCE_LABELS = {
    "contract": _l("Contract"),
    "parcel": _l("Parcel"),
    "as_of": _l("As of"),
    "end_date": _l("End date"),
    "ended_on": _l("Ended on"),
    "days_left": _l("Days left"),
    "days_past_end": _l("Days past the end"),
    "status": _l("Status"),
    "owed": _l("Owed, som"),
    "due_total": _l("Due, som"),
    "paid_total": _l("Paid, som"),
    "instalments_due": _l("Instalments due"),
    "oldest_unpaid_due": _l("Oldest unpaid instalment"),
    "last_paid_on": _l("Last payment"),
    "annual_rent": _l("Annual rent, som"),
    "norm": _l("Normative rent, som"),
    "percent_of_norm": _l("Percent of the norm"),
    "documented_m2": _l("Documented area, m²"),
    "measured_m2": _l("Measured area, m²"),
    "difference_percent": _l("Difference, %"),
    "inspection": _l("Inspection"),
    "observed_use": _l("Observed use"),
    "inspector": _l("Inspector"),
    "date": _l("Date"),
    "municipality": _l("Municipality"),
}


def label(table: dict, code: str) -> str:
    """The translated name of `code`, or the code itself when it has none."""
    return str(table.get(code, code))
