"""What officers do with flags: confirm, resolve, dismiss (with a reason) or reopen them,
and the query behind every list of flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import AnomalyFlag, FlagStatus, Severity
from inventory.services.anomalies.scope import municipality_id_of
from inventory.services.errors import NotFound, ValidationError

_SEVERITY_ORDER = sa.case(
    {Severity.CRITICAL.value: 0, Severity.WARNING.value: 1}, value=AnomalyFlag.severity, else_=2
)


def set_status(
    session: so.Session,
    flag_id: int,
    status: FlagStatus | str,
    user_id: int | None,
    reason: str | None = None,
) -> AnomalyFlag:
    """Move a flag to `status`, recording who and when, and return it.

    Dismissing needs a reason (an auditor must be able to read why); other statuses
    keep the reason given, if any. Raises NotFound for an unknown flag and
    ValidationError for an unknown status or a dismissal without a reason.
    """
    try:
        status = FlagStatus(status)
    except ValueError:
        raise ValidationError(
            "unknown status '%(status)s'; statuses are %(statuses)s",
            field="status",
            status=status,
            statuses=", ".join(s.value for s in FlagStatus),
        ) from None
    reason = (reason or "").strip() or None
    if status == FlagStatus.DISMISSED and reason is None:
        raise ValidationError("say why the flag is dismissed", field="reason")
    flag = session.get(AnomalyFlag, flag_id)
    if flag is None:
        raise NotFound("no anomaly flag %(id)s", field="flag_id", id=flag_id)
    flag.status = status
    flag.reason = reason
    flag.status_changed_by_id = user_id
    flag.status_changed_at = dt.datetime.now(dt.UTC)
    session.flush()
    return flag


def list_flags(
    session: so.Session,
    *,
    municipality: str | int | None = None,
    rules: Iterable[str] | None = None,
    statuses: Iterable[FlagStatus | str] | None = None,
    severities: Iterable[Severity | str] | None = None,
    parcel_id: int | None = None,
    contract_id: int | None = None,
    seen_since: dt.datetime | None = None,
) -> sa.Select:
    """A Select of flags matching every filter given, the most severe and most recently
    seen first, for the caller to paginate or export. Filters left None match all;
    `municipality` is a slug or an id (NotFound if there is no such municipality)."""
    municipality_id = municipality_id_of(session, municipality)
    query = sa.select(AnomalyFlag)
    if municipality_id is not None:
        query = query.where(AnomalyFlag.municipality_id == municipality_id)
    if rules is not None:
        query = query.where(AnomalyFlag.rule.in_(list(rules)))
    if statuses is not None:
        query = query.where(AnomalyFlag.status.in_([FlagStatus(s) for s in statuses]))
    if severities is not None:
        query = query.where(AnomalyFlag.severity.in_([Severity(s) for s in severities]))
    if parcel_id is not None:
        query = query.where(AnomalyFlag.parcel_id == parcel_id)
    if contract_id is not None:
        query = query.where(AnomalyFlag.contract_id == contract_id)
    if seen_since is not None:
        query = query.where(AnomalyFlag.last_seen_at >= seen_since)
    return query.order_by(_SEVERITY_ORDER, AnomalyFlag.last_seen_at.desc(), AnomalyFlag.id)
