"""Each flag's sentence in the reader's language, made from the evidence its rule recorded.

A rule stores an English sentence with every flag (`AnomalyFlag.message`: the CLI, logs
and the last resort). Pages, the API, exports and the public card show `describe()`
instead, so the same flag reads in Kyrgyz in Osh and in Russian in Jalal-Abad, with the
same numbers. Only keys a rule writes into its evidence are used here; when a flag's
evidence lacks one (a flag from an older rule version), the stored sentence is shown.
Codes (uses, statuses) stay codes: they are the names the reference tables and the
exports use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _


def describe(rule: str, evidence: Mapping[str, Any] | None, fallback: str) -> str:
    """The flag's sentence in the current language (Flask-Babel's locale; English outside
    a request), or `fallback` when the rule is unknown or its evidence incomplete."""
    builder = _BUILDERS.get(rule)
    if builder is None or not evidence:
        return fallback
    try:
        return builder(evidence)
    except (KeyError, IndexError, TypeError, ValueError):
        return fallback


def _none(value: Any, text: str) -> Any:
    return text if value is None else value


def _expired_active(e: Mapping[str, Any]) -> str:
    if e.get("case") == "occupied_after_end":
        seen = e["inspection"]
        return _(
            "Contract %(contract)s is %(status)s since %(ended_on)s, yet the inspection "
            "of %(date)s found parcel %(parcel)s occupied (%(use)s) and no later "
            "contract.",
            contract=e["contract"],
            status=e["status"],
            ended_on=e["ended_on"],
            date=seen["date"],
            parcel=e["parcel"],
            use=_none(seen.get("observed_use"), _("use not recorded")),
        )
    return _(
        "Contract %(contract)s is still active but ended on %(end_date)s, %(days)s days "
        "before %(as_of)s.",
        contract=e["contract"],
        end_date=e["end_date"],
        days=e["days_past_end"],
        as_of=e["as_of"],
    )


def _ending_soon(e: Mapping[str, Any]) -> str:
    return _(
        "Contract %(contract)s ends on %(end_date)s, %(days)s days after %(as_of)s, and "
        "nothing renews it yet.",
        contract=e["contract"],
        end_date=e["end_date"],
        days=e["days_left"],
        as_of=e["as_of"],
    )


def _misuse(e: Mapping[str, Any]) -> str:
    seen = e["inspection"]
    if e.get("contract"):
        lease = _(
            "contract %(contract)s is for %(use)s",
            contract=e["contract"],
            use=_none(e.get("contracted_use"), _("no stated use")),
        )
    else:
        lease = _("no contract was in force")
    return _(
        "Parcel %(parcel)s (designated for %(designated)s) was seen used as %(observed)s "
        "at the inspection of %(date)s by %(inspector)s; %(lease)s.",
        parcel=e["parcel"],
        designated=_none(e.get("designated_use"), _("no designated use")),
        observed=e["observed_use"],
        date=seen["date"],
        inspector=seen["inspector"],
        lease=lease,
    )


def _arrears(e: Mapping[str, Any]) -> str:
    return _(
        "Contract %(contract)s is %(owed)s som behind: %(due)s som due in %(count)s "
        "instalments before %(before)s, %(paid)s som paid; unpaid since the instalment "
        "due %(oldest)s (last payment: %(last)s).",
        contract=e["contract"],
        owed=e["owed"],
        due=e["due_total"],
        count=e["instalments_due"],
        before=e["due_before"],
        paid=e["paid_total"],
        oldest=e["oldest_unpaid_due"],
        last=_none(e.get("last_paid_on"), _("none")),
    )


def _rent_below_norm(e: Mapping[str, Any]) -> str:
    return _(
        "Contract %(contract)s: annual rent %(rent)s som is %(percent)s %% of the "
        "normative rent %(norm)s som (%(area)s m², Kf %(kf)s for %(use)s).",
        contract=e["contract"],
        rent=e["annual_rent"],
        percent=e["percent_of_norm"],
        norm=e["norm"],
        area=e["leased_area_m2"],
        kf=e["kf"],
        use=e["contracted_use"],
    )


def _occupied_without_contract(e: Mapping[str, Any]) -> str:
    seen = e["inspection"]
    return _(
        "Parcel %(parcel)s (%(status)s) was seen occupied (%(use)s) at the inspection of "
        "%(date)s by %(inspector)s, but no contract on it had ever started by then.",
        parcel=e["parcel"],
        status=e["parcel_status"],
        use=_none(seen.get("observed_use"), _("use not recorded")),
        date=seen["date"],
        inspector=seen["inspector"],
    )


def _parcel_overlap(e: Mapping[str, Any]) -> str:
    a, b = e["parcels"][0], e["parcels"][1]
    return _(
        "Parcels %(a)s and %(b)s overlap by %(m2)s m².",
        a=a["ident_code"],
        b=b["ident_code"],
        m2=e["overlap_m2"],
    )


def _double_lease(e: Mapping[str, Any]) -> str:
    a, b = e["contracts"][0], e["contracts"][1]
    objects = ", ".join(f"{o['kind']} {o['key']}" for o in e["objects"])
    return _(
        "%(objects)s leased twice: contract %(a)s (%(a_from)s..%(a_to)s) and contract "
        "%(b)s (%(b_from)s..%(b_to)s) are both active over %(from)s..%(to)s.",
        objects=objects,
        a=a["number"],
        a_from=a["start_date"],
        a_to=a["end_date"],
        b=b["number"],
        b_from=b["start_date"],
        b_to=b["end_date"],
        **{"from": e["overlap_from"], "to": e["overlap_to"]},
    )


def _area_mismatch(e: Mapping[str, Any]) -> str:
    return _(
        "Parcel %(parcel)s: %(documented)s m² on the papers, %(measured)s m² measured in "
        "%(crs)s (%(percent)s %%).",
        parcel=e["parcel"],
        documented=e["documented_m2"],
        measured=e["measured_m2"],
        crs=e["measured_in"],
        percent=e["difference_percent"],
    )


def _protected_layer_lease(e: Mapping[str, Any]) -> str:
    overlaps = "; ".join(
        _(
            "%(kind)s '%(name)s' by %(m2)s m² (parcel %(parcel)s)",
            kind=o["kind"].replace("_", " "),
            name=o["name"],
            m2=o["overlap_m2"],
            parcel=o["parcel"],
        )
        for o in e["overlaps"]
    )
    return _(
        "Contract %(contract)s (%(use)s, a commercial use) is on land that overlaps %(overlaps)s.",
        contract=e["contract"],
        use=e["contracted_use"],
        overlaps=overlaps,
    )


def _no_geometry(e: Mapping[str, Any]) -> str:
    return _(
        "Parcel %(parcel)s has no polygon (%(area)s m² on the papers).",
        parcel=e["parcel"],
        area=_none(e.get("documented_m2"), _("no area")),
    )


def _invalid_geometry(e: Mapping[str, Any]) -> str:
    return _(
        "Parcel %(parcel)s has an invalid polygon: %(problem)s.",
        parcel=e["parcel"],
        problem=e["problem"],
    )


def _bad_code(e: Mapping[str, Any]) -> str:
    return _(
        "Parcel code '%(code)s' does not match the pattern %(pattern)s.",
        code=e["parcel"],
        pattern=e["pattern"],
    )


def _duplicate_code(e: Mapping[str, Any]) -> str:
    a, b = e["parcels"][0], e["parcels"][1]
    return _(
        "Parcel codes '%(a)s' and '%(b)s' are the same code once leading zeros and "
        "spaces are ignored.",
        a=a["ident_code"],
        b=b["ident_code"],
    )


def _contract_no_object(e: Mapping[str, Any]) -> str:
    return _(
        "Contract %(contract)s (%(status)s, %(use)s, %(area)s m²) names no parcel or building.",
        contract=e["contract"],
        status=e["status"],
        use=_none(e.get("contracted_use"), _("no stated use")),
        area=_none(e.get("leased_area_m2"), _("no area")),
    )


_BUILDERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "contract_expired_active": _expired_active,
    "contract_ending_soon": _ending_soon,
    "misuse": _misuse,
    "arrears": _arrears,
    "rent_below_norm": _rent_below_norm,
    "occupied_without_contract": _occupied_without_contract,
    "parcel_overlap": _parcel_overlap,
    "double_lease": _double_lease,
    "area_mismatch": _area_mismatch,
    "protected_layer_lease": _protected_layer_lease,
    "dq_no_geometry": _no_geometry,
    "dq_invalid_geometry": _invalid_geometry,
    "dq_bad_code": _bad_code,
    "dq_duplicate_code": _duplicate_code,
    "dq_contract_no_object": _contract_no_object,
}
