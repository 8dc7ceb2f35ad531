"""Anomaly flags of what an import wrote, brought up to date at once, as after a save.

The upserts collect the ids of the rows they created or changed (ImportReport.written);
one `engine.recheck()` call covers them all, with the records they bear on: a building's
or an inspection's parcel, a payment's contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.imports.report import ImportReport

#: Tables whose written rows bear on a parcel or a contract, and the column naming it.
_PARCEL_OF = {"building": "parcel_id", "inspection": "parcel_id"}
_CONTRACT_OF = {"payment": "contract_id"}


def _referenced(session: so.Session, table: str, column: str, ids: list[int]) -> list[int]:
    if not ids:
        return []
    rows = session.execute(
        sa.text(f"SELECT DISTINCT {column} FROM {table} WHERE id = ANY(:ids)"), {"ids": ids}
    )
    return [r for (r,) in rows if r is not None]


def recheck_written(session: so.Session, report: ImportReport, settings: Mapping[str, Any]) -> None:
    """Re-check the parcels and contracts the import created or changed (one call), and
    count the flags it opened and resolved into the report."""
    from inventory.services.anomalies import engine

    written = report.written
    parcels = list(written.get("parcel", ()))
    contracts = list(written.get("lease_contract", ()))
    for table, column in _PARCEL_OF.items():
        parcels += _referenced(session, table, column, list(written.get(table, ())))
    for table, column in _CONTRACT_OF.items():
        contracts += _referenced(session, table, column, list(written.get(table, ())))
    result = engine.recheck(
        session,
        parcel_ids=sorted(set(parcels)),
        contract_ids=sorted(set(contracts)),
        settings=settings,
    )
    if result is not None:
        total = result.total
        report.flags_opened = total.new + total.reopened
        report.flags_resolved = total.auto_resolved
