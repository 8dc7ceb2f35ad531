"""The anomaly rules of data/README.md, one module each, registered by code."""

from __future__ import annotations

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
    )
}

__all__ = ["RULES", "Rule"]
