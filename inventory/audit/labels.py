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
    "allowed_on_contracted_use": _l("Allowed on the contracted use"),
    "allowed_on_designated_use": _l("Allowed on the designated use"),
    "contracted_use": _l("Contracted use"),
    "designated_use": _l("Designated use"),
    "occupied": _l("Occupied"),
    "parcel_status": _l("Parcel status"),
    "contract_status": _l("Contract status"),
    "id": _l("Number in the register"),
    "kf": _l("Use coefficient Kf"),
    "kz": _l("Zone coefficient Kz"),
    "leased_area_m2": _l("Leased area, m²"),
    "parcels": _l("Parcels"),
    "base_rate": _l("Base rate, som per m²"),
    "base_rate_from": _l("Base rate in force since"),
    "land_category": _l("Land category"),
    "rent_amount": _l("Rent, som"),
    "rent_period": _l("Rent period"),
    "threshold_percent_below": _l("Threshold, % below the norm"),
    "threshold_percent": _l("Threshold, %"),
    "zone": _l("Economic-planning zone"),
    "due_before": _l("Due before"),
    "measured_in": _l("Measured in"),
    "contracts": _l("Contracts"),
    "objects": _l("Objects"),
    "number": _l("Number"),
    "start_date": _l("Start date"),
    "ident_code": _l("Identification code"),
    "overlaps": _l("Overlaps"),
    "overlap_from": _l("Overlap from"),
    "overlap_to": _l("Overlap until"),
    "same_lessee": _l("Same lessee"),
    "min_amount": _l("Minimum amount, som"),
    "window_days": _l("Window, days"),
    "name": _l("Name"),
    "kind": _l("Kind"),
    "key": _l("Code or number"),
    "pattern": _l("Pattern"),
    "problem": _l("Problem"),
    "normalised_code": _l("Code in its usual form"),
    "case": _l("Case"),
}
#: Names of the list's filters, as the printable report repeats them.
FILTER_LABELS = {
    "municipality": _l("Municipality"),
    "rule": _l("Rule"),
    "severity": _l("Severity"),
    "status": _l("Status"),
    "seen_from": _l("Seen from"),
    "seen_to": _l("Seen until"),
    "lessee": _l("Lessee name or INN"),
}


def label(table: dict, code: str) -> str:
    """The translated name of `code`, or the code itself when it has none."""
    return str(table.get(code, code))
