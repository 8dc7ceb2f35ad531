"""occupied_without_contract: the latest inspection saw a parcel occupied, it is not
used by a municipal institution, and no contract on it had ever started by that day."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import (
    Rule,
    inspection_json,
    latest_inspection_cte,
)

QUERY = sa.text(f"""
WITH {latest_inspection_cte()}
SELECT 'parcel:' || p.id AS fingerprint, p.municipality_id, p.id AS parcel_id,
       NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcel', p.ident_code, 'parcel_status', p.status,
                          'inspection', {inspection_json("l", "seen")}) AS evidence,
       format('Parcel %s (%s) was seen occupied (%s) at the inspection of %s by %s, '
              'but no contract on it had ever started by then.', p.ident_code, p.status,
              coalesce(seen.code, 'use not recorded'), l.inspected_on, l.inspector) AS message
  FROM latest l
  JOIN parcel p ON p.id = l.parcel_id
  LEFT JOIN land_use seen ON seen.id = l.observed_use_id
 WHERE l.occupied AND p.status <> 'municipal_use'
   AND NOT EXISTS (SELECT 1 FROM contract_object co
                     JOIN lease_contract c ON c.id = co.contract_id
                    WHERE co.parcel_id = p.id AND c.status <> 'draft'
                      AND c.archived_at IS NULL AND c.start_date <= l.inspected_on)
""")

RULE = Rule(
    code="occupied_without_contract",
    severity=Severity.CRITICAL,
    object_kind="parcel",
    description="Occupied without any contract that ever started.",
    query=QUERY,
    weight=4,
)
