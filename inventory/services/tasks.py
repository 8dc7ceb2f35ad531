"""The workspace's task list: what waits for the signed-in user, counted per municipality.

Five kinds of work, each counted with one GROUP BY and its first few items read with
one ordered, limited query (set work in PostGIS, nothing row by row):
open anomaly flags, citizen reports waiting for moderation, active contracts ending
soon, parcels whose imported outline was refused, and statement lines no payment took.
An officer sees their own municipality; auditors and administrators see every one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import AnomalyFlag, CitizenReport, LeaseContract, Municipality, Parcel
from inventory.models.anomaly import FlagStatus, Severity
from inventory.models.lease import ContractStatus
from inventory.models.report import ReportStatus
from inventory.models.statement import StatementLine
from inventory.services.permissions import Actor, readable_municipality

#: How far ahead a contract's end counts as "soon".
ENDING_WITHIN_DAYS = 60
#: How many items each task shows on the workspace page.
TOP = 5
#: The order of the tasks on the page.
KINDS = ("flags", "reports", "ending", "outlines", "statement_lines")

_SEVERITY_ORDER = sa.case(
    (AnomalyFlag.severity == Severity.CRITICAL, 0),
    (AnomalyFlag.severity == Severity.WARNING, 1),
    else_=2,
)


@dataclass(frozen=True)
class Task:
    """One kind of work: how many wait in all and per municipality (slug), and the
    first `TOP` of them as plain dicts (each with `id` and `municipality`)."""

    kind: str
    count: int
    per_municipality: dict[str, int] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)


def _queries(today: dt.date, days: int) -> dict[str, tuple[Any, sa.ColumnElement, list, list]]:
    """Each task's table, its condition, the columns of its items and their order."""
    until = today + dt.timedelta(days=days)
    return {
        "flags": (
            AnomalyFlag,
            AnomalyFlag.status == FlagStatus.OPEN,
            [AnomalyFlag.rule, AnomalyFlag.severity, AnomalyFlag.message],
            [_SEVERITY_ORDER, AnomalyFlag.last_seen_at.desc(), AnomalyFlag.id.desc()],
        ),
        "reports": (
            CitizenReport,
            CitizenReport.status == ReportStatus.PENDING,
            [CitizenReport.text, CitizenReport.created_at, CitizenReport.parcel_id],
            [CitizenReport.created_at, CitizenReport.id],
        ),
        "ending": (
            LeaseContract,
            sa.and_(
                LeaseContract.status == ContractStatus.ACTIVE,
                LeaseContract.archived_at.is_(None),
                LeaseContract.end_date.between(today, until),
            ),
            [LeaseContract.number, LeaseContract.end_date],
            [LeaseContract.end_date, LeaseContract.id],
        ),
        "outlines": (
            Parcel,
            sa.and_(Parcel.geom_problem.is_not(None), Parcel.archived_at.is_(None)),
            [Parcel.ident_code, Parcel.geom_problem],
            [Parcel.ident_code, Parcel.id],
        ),
        "statement_lines": (
            StatementLine,
            StatementLine.payment_id.is_(None),
            [StatementLine.paid_on, StatementLine.amount, StatementLine.payer],
            [StatementLine.paid_on, StatementLine.id],
        ),
    }


def task_list(
    session: so.Session,
    actor: Actor,
    today: dt.date,
    *,
    days: int = ENDING_WITHIN_DAYS,
    top: int = TOP,
) -> list[Task]:
    """The tasks of `actor` on `today`, in the order of KINDS (empty ones included, so
    the page can say there is nothing to do)."""
    confined = readable_municipality(actor)
    tasks = []
    for kind, (model, condition, columns, order) in _queries(today, days).items():
        where = [condition]
        if confined is not None:
            where.append(model.municipality_id == confined)
        counts = session.execute(
            sa.select(Municipality.slug, sa.func.count())
            .select_from(model)
            .join(Municipality, Municipality.id == model.municipality_id)
            .where(*where)
            .group_by(Municipality.slug)
            .order_by(Municipality.slug)
        ).all()
        per_municipality = {slug: n for slug, n in counts}
        items = []
        if per_municipality:
            rows = session.execute(
                sa.select(model.id, Municipality.slug.label("municipality"), *columns)
                .join(Municipality, Municipality.id == model.municipality_id)
                .where(*where)
                .order_by(*order)
                .limit(top)
            ).mappings()
            items = [dict(row) for row in rows]
        tasks.append(Task(kind, sum(per_municipality.values()), per_municipality, items))
    return tasks
