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
from inventory.services.anomalies.rules.sentences import Field, Sentence
from inventory.services.privacy import N_

QUERY = sa.text(f"""
WITH {latest_inspection_cte()}
SELECT 'parcel:' || p.id AS fingerprint, p.municipality_id, p.id AS parcel_id,
       NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcel', p.ident_code, 'parcel_status', p.status,
                          'inspection', {inspection_json("l", "seen")}) AS evidence
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
    label=N_("Occupied without a contract"),
    severity=Severity.CRITICAL,
    object_kind="parcel",
    finds="an inspection saw a parcel occupied that never had a contract",
    message=Sentence.of(
        N_(
            "Parcel %(parcel)s (%(status)s) was seen occupied (%(use)s) at the inspection of "
            "%(date)s by %(inspector)s, but no contract on it had ever started by then."
        ),
        status=Field("parcel_status", names="parcel_status"),
        use=Field("inspection.observed_use", missing=N_("use not recorded"), names="observed_use"),
        date="inspection.date",
        inspector="inspection.inspector",
    ),
    select=QUERY,
    weight=4,
)
