"""The anomaly rules of data/README.md, one module each, registered by code.

Each module holds its rule's whole descriptor (`RULE`, rules/base.py): code, name,
severity, settings, what it finds, its message template and its query. The names in the
workspace (inventory/audit/labels.py), the sentences of every flag (messages.py) and the
README's table of rules (`markdown_table()`, printed by `inventory rules`) are made from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inventory.config import with_defaults
from inventory.services.anomalies.rules import (
    area_mismatch,
    arrears,
    contract_ending_soon,
    contract_expired_active,
    double_lease,
    dq_bad_code,
    dq_contract_no_object,
    dq_duplicate_code,
    dq_invalid_geometry,
    dq_no_geometry,
    dq_status_contract_mismatch,
    misuse,
    occupied_without_contract,
    parcel_overlap,
    protected_layer_lease,
    rent_below_norm,
)
from inventory.services.anomalies.rules.base import Rule

#: Every rule by code, in the order scans run and reports list them.
RULES: dict[str, Rule] = {
    module.RULE.code: module.RULE
    for module in (
        contract_expired_active,
        contract_ending_soon,
        misuse,
        arrears,
        rent_below_norm,
        occupied_without_contract,
        parcel_overlap,
        double_lease,
        area_mismatch,
        protected_layer_lease,
        dq_no_geometry,
        dq_invalid_geometry,
        dq_bad_code,
        dq_duplicate_code,
        dq_contract_no_object,
        dq_status_contract_mismatch,
    )
}


def markdown_table(settings: Mapping[str, Any] | None = None) -> str:
    """The README's table of rules, thresholds at `settings` (the documented defaults when
    None): code, name, severity, what it finds and the settings it reads."""
    settings = with_defaults(settings)
    lines = [
        "| rule | name | severity | finds | settings |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in RULES.values():
        names = ", ".join(f"`INVENTORY_{key}`" for key in dict.fromkeys(rule.settings.values()))
        lines.append(
            f"| `{rule.code}` | {rule.label} | {rule.severity.value} "
            f"| {rule.what_it_finds(settings)} | {names or '-'} |"
        )
    return "\n".join(lines) + "\n"


__all__ = ["RULES", "Rule", "markdown_table"]
