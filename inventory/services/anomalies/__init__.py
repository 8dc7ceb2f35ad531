"""The anomaly engine: rules that find violations in PostGIS, a scan that keeps the
flags in step with them, and the officers' workflow on the flags.

`scan()` runs the rules (inventory.services.anomalies.rules, one module per rule);
`set_status()` and `list_flags()` serve the UI, the API and the command line.
"""

from __future__ import annotations

from inventory.services.anomalies.engine import RuleCounts, ScanResult, scan
from inventory.services.anomalies.rules import RULES, Rule
from inventory.services.anomalies.workflow import list_flags, set_status

__all__ = ["RULES", "Rule", "RuleCounts", "ScanResult", "list_flags", "scan", "set_status"]
