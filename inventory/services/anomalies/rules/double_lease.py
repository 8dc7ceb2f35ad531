"""double_lease: two active contracts on the same parcel or building with overlapping
terms."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, pair_of

QUERY = sa.text(f"""
WITH same_object AS (
    -- Two joins rather than one with OR, so each can use its index; in a re-check the
    -- requested contracts' objects come first and only their neighbours are read.
    SELECT least(oa.contract_id, ob.contract_id) AS a_id,
           greatest(oa.contract_id, ob.contract_id) AS b_id,
           oa.parcel_id, NULL::int AS building_id
      FROM contract_object oa
      JOIN contract_object ob ON ob.parcel_id = oa.parcel_id
                             AND {pair_of("contract", "oa.contract_id", "ob.contract_id")}
    UNION ALL
    SELECT least(oa.contract_id, ob.contract_id), greatest(oa.contract_id, ob.contract_id),
           NULL::int, oa.building_id
      FROM contract_object oa
      JOIN contract_object ob ON ob.building_id = oa.building_id
                             AND {pair_of("contract", "oa.contract_id", "ob.contract_id")}
), shared AS (
    SELECT o.a_id, o.b_id, o.parcel_id, o.building_id,
           coalesce(p.ident_code, bl.inventory_number) AS object_key,
           CASE WHEN o.parcel_id IS NOT NULL THEN 'parcel' ELSE bl.kind END AS object_kind
      FROM same_object o
      JOIN lease_contract a ON a.id = o.a_id
      JOIN lease_contract b ON b.id = o.b_id
      LEFT JOIN parcel p ON p.id = o.parcel_id
      LEFT JOIN building bl ON bl.id = o.building_id
     WHERE a.status = 'active' AND b.status = 'active'
       AND a.archived_at IS NULL AND b.archived_at IS NULL
       AND a.start_date <= b.end_date AND b.start_date <= a.end_date
       AND {in_municipality("a.municipality_id")}
)
SELECT 'contract:' || a.id || '|contract:' || b.id AS fingerprint, a.municipality_id,
       min(s.parcel_id) AS parcel_id, a.id AS contract_id,
       min(s.building_id) AS building_id,
       jsonb_build_object(
           'contracts', jsonb_build_array(
               jsonb_build_object('id', a.id, 'number', a.number, 'start_date', a.start_date,
                                  'end_date', a.end_date),
               jsonb_build_object('id', b.id, 'number', b.number, 'start_date', b.start_date,
                                  'end_date', b.end_date)),
           'same_lessee', a.lessee_id = b.lessee_id,
           'objects', jsonb_agg(jsonb_build_object('kind', s.object_kind,
                                                   'key', s.object_key)
                                ORDER BY s.object_key),
           'overlap_from', GREATEST(a.start_date, b.start_date),
           'overlap_to', LEAST(a.end_date, b.end_date)) AS evidence,
       format('%s leased twice: contract %s (%s..%s) and contract %s (%s..%s) are both '
              'active over %s..%s.', string_agg(s.object_kind || ' ' || s.object_key, ', '
                                               ORDER BY s.object_key),
              a.number, a.start_date, a.end_date, b.number, b.start_date, b.end_date,
              GREATEST(a.start_date, b.start_date), LEAST(a.end_date, b.end_date)) AS message
  FROM shared s
  JOIN lease_contract a ON a.id = s.a_id
  JOIN lease_contract b ON b.id = s.b_id
 GROUP BY a.id, b.id
""")

RULE = Rule(
    code="double_lease",
    severity=Severity.CRITICAL,
    object_kind="contract_pair",
    description="Two active contracts on one object at the same time.",
    query=QUERY,
)
