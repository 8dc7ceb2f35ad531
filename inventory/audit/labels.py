"""Names people read for the codes the data keeps (rules, statuses, severities, evidence
keys), in their language. Exports keep the codes: they are stable, names are not."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

RULE_LABELS = {
    "contract_expired_active": _l("Contract past its end still active or occupied"),
    "contract_ending_soon": _l("Contract ending soon"),
    "misuse": _l("Use not allowed"),
    "arrears": _l("Payment arrears"),
    "rent_below_norm": _l("Rent below the norm"),
    "occupied_without_contract": _l("Occupied without a contract"),
    "parcel_overlap": _l("Overlapping parcels"),
    "double_lease": _l("Two active contracts on one object"),
    "area_mismatch": _l("Documented and measured area differ"),
    "protected_layer_lease": _l("Commercial lease on protected land"),
    "dq_no_geometry": _l("No geometry"),
    "dq_invalid_geometry": _l("Invalid geometry"),
    "dq_bad_code": _l("Malformed identification code"),
    "dq_duplicate_code": _l("Duplicate identification code"),
    "dq_contract_no_object": _l("Contract with no object"),
}
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
}


def label(table: dict, code: str) -> str:
    """The translated name of `code`, or the code itself when it has none."""
    return str(table.get(code, code))
