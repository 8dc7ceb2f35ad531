"""dq_contract_no_object: a contract that names no parcel and no building."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, scoped
from inventory.services.anomalies.rules.sentences import Field, Sentence, number
from inventory.services.privacy import N_

QUERY = sa.text(f"""
SELECT 'contract:' || c.id AS fingerprint, c.municipality_id, NULL::int AS parcel_id,
       c.id AS contract_id, NULL::int AS building_id,
       jsonb_build_object('contract', c.number, 'status', c.status,
                          'contracted_use', u.code,
                          'leased_area_m2', c.leased_area) AS evidence
  FROM lease_contract c
  LEFT JOIN land_use u ON u.id = c.contracted_use_id
 WHERE c.archived_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM contract_object co WHERE co.contract_id = c.id)
   AND {in_municipality("c.municipality_id")} AND {scoped("contract", "c.id")}
""")

RULE = Rule(
    code="dq_contract_no_object",
    label=N_("Contract with no object"),
    severity=Severity.INFO,
    object_kind="contract",
    finds="a contract naming no parcel and no building",
    message=Sentence.of(
        N_("Contract %(contract)s (%(status)s, %(use)s, %(area)s m²) names no parcel or building."),
        use=Field("contracted_use", missing=N_("no stated use")),
        area=number("leased_area_m2", missing=N_("no area")),
    ),
    select=QUERY,
)
