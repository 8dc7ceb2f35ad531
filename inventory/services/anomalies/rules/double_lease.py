"""double_lease: two active contracts on the same parcel or building with overlapping
terms."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import (
    Rule,
    in_municipality,
    materialized_in_recheck,
    pair_of,
)
from inventory.services.anomalies.rules.sentences import Field, Items, Sentence
from inventory.services.privacy import N_

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
), shared AS {materialized_in_recheck()} (
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
           'overlap_to', LEAST(a.end_date, b.end_date)) AS evidence
  FROM shared s
  JOIN lease_contract a ON a.id = s.a_id
  JOIN lease_contract b ON b.id = s.b_id
 GROUP BY a.id, b.id
""")

RULE = Rule(
    code="double_lease",
    label=N_("Two active contracts on one object"),
    severity=Severity.CRITICAL,
    object_kind="contract_pair",
    finds="two active contracts on one parcel or building over overlapping terms",
    message=Sentence.of(
        N_(
            "%(objects)s leased twice: contract %(a)s (%(a_from)s..%(a_to)s) and contract "
            "%(b)s (%(b_from)s..%(b_to)s) are both active over %(from)s..%(to)s."
        ),
        # Each object by its kind in the reader's words and its code ("участок 5-08-...").
        objects=Items(
            "objects",
            Sentence.of("%(kind)s %(key)s", kind=Field("kind", names="object_kind")),
            ", ",
        ),
        a="contracts.0.number",
        a_from="contracts.0.start_date",
        a_to="contracts.0.end_date",
        b="contracts.1.number",
        b_from="contracts.1.start_date",
        b_to="contracts.1.end_date",
        **{"from": "overlap_from", "to": "overlap_to"},
    ),
    select=QUERY,
)
