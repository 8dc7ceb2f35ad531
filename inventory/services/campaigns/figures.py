"""What a campaign has done, in SQL: progress by officer, and the results the 2019-2020
project counted (contracts reviewed, amended or terminated; rent per year before and
after; arrears recovered).

- rent before: the contracts' annual rent when the campaign opened; rent after: what
  each outcome leaves (an amendment's rent, 0 once terminated, the same when kept or
  sent to court, and the rent before while still to review);
- arrears recovered: per contract, what was paid on it or its amendment since the
  campaign opened, up to the arrears it had that day.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import ReviewCampaign
from inventory.services.records.common import iso

_FIGURES = sa.text("""
    SELECT count(*) AS contracts,
           count(*) FILTER (WHERE r.outcome <> 'pending') AS reviewed,
           count(*) FILTER (WHERE r.outcome = 'kept') AS kept,
           count(*) FILTER (WHERE r.outcome = 'amended') AS amended,
           count(*) FILTER (WHERE r.outcome = 'terminated') AS terminated,
           count(*) FILTER (WHERE r.outcome = 'court') AS court,
           coalesce(sum(r.rent_before), 0) AS rent_before,
           coalesce(sum(CASE WHEN r.outcome = 'pending' THEN r.rent_before
                             ELSE coalesce(r.rent_after, r.rent_before) END), 0) AS rent_after,
           coalesce(sum(r.arrears_before), 0) AS arrears_before,
           coalesce(sum(least(r.arrears_before, coalesce((
               SELECT sum(p.amount) FROM payment p
                WHERE p.contract_id IN (r.contract_id, r.successor_id)
                  AND p.archived_at IS NULL AND p.paid_on >= c.opened_on), 0))), 0)
               AS arrears_recovered
      FROM campaign_review r JOIN review_campaign c ON c.id = r.campaign_id
     WHERE r.campaign_id = :id
""")

_BY_OFFICER = sa.text("""
    SELECT r.officer_id, u.username, u.full_name, count(*) AS assigned,
           count(*) FILTER (WHERE r.outcome <> 'pending') AS reviewed
      FROM campaign_review r LEFT JOIN app_user u ON u.id = r.officer_id
     WHERE r.campaign_id = :id
     GROUP BY r.officer_id, u.username, u.full_name
     ORDER BY u.username NULLS LAST
""")


def results(session: so.Session, campaign_id: int) -> dict[str, Any]:
    """The campaign's counts and money, with `changed_share`, the share of its contracts
    amended or terminated (0..1), and `reviewed_share`."""
    row = session.execute(_FIGURES, {"id": campaign_id}).one()
    total = int(row.contracts)
    changed = int(row.amended) + int(row.terminated)
    return {
        "contracts": total,
        "reviewed": int(row.reviewed),
        "kept": int(row.kept),
        "amended": int(row.amended),
        "terminated": int(row.terminated),
        "court": int(row.court),
        "pending": total - int(row.reviewed),
        "reviewed_share": round(int(row.reviewed) / total, 4) if total else 0.0,
        "changed_share": round(changed / total, 4) if total else 0.0,
        "rent_before": float(row.rent_before),
        "rent_after": float(row.rent_after),
        "arrears_before": float(row.arrears_before),
        "arrears_recovered": float(row.arrears_recovered),
    }


def by_officer(session: so.Session, campaign_id: int) -> list[dict[str, Any]]:
    """Per officer (None: not assigned yet): how many reviews, how many done."""
    return [
        {
            "officer_id": row.officer_id,
            "username": row.username,
            "full_name": row.full_name,
            "assigned": int(row.assigned),
            "reviewed": int(row.reviewed),
            "pending": int(row.assigned) - int(row.reviewed),
        }
        for row in session.execute(_BY_OFFICER, {"id": campaign_id})
    ]


def campaign_json(
    session: so.Session, campaign: ReviewCampaign, officers: bool = False
) -> dict[str, Any]:
    """A campaign as the API and the office show it: its fields, results and, with
    `officers`, its progress by officer."""
    body = {**summary_json(campaign), "results": results(session, campaign.id)}
    if officers:
        body["officers"] = by_officer(session, campaign.id)
    return body


def summary_json(campaign: ReviewCampaign) -> dict[str, Any]:
    """The campaign's own fields."""
    return {
        "id": campaign.id,
        "municipality": campaign.municipality.slug,
        "title": campaign.title,
        "opened_on": iso(campaign.opened_on),
        "deadline": iso(campaign.deadline),
        "status": campaign.status.value,
        "closed_on": iso(campaign.closed_on),
        "selection": campaign.selection,
    }
