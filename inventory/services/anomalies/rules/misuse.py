"""misuse: the latest inspection of a parcel saw a use that the use-compatibility table
does not allow on the parcel's designated use, or on the contracted use of the contract
in force that day (greening land used for a café is the headline case)."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import (
    Rule,
    inspection_json,
    latest_inspection_cte,
    materialized_in_recheck,
)
from inventory.services.anomalies.rules.sentences import Either, Field, Sentence
from inventory.services.privacy import N_

QUERY = sa.text(f"""
WITH {latest_inspection_cte()},
checked AS {materialized_in_recheck()} (
    SELECT l.*, p.municipality_id, p.ident_code, p.status AS parcel_status,
           designated.code AS designated_use, seen.code AS observed_use,
           c.id AS contract_id, c.number AS contract_number,
           contracted.code AS contracted_use,
           p.designated_use_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM use_compatibility uc
                WHERE uc.designated_use_id = p.designated_use_id
                  AND uc.allowed_use_id = l.observed_use_id) AS bad_on_designated,
           c.contracted_use_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM use_compatibility uc
                WHERE uc.designated_use_id = c.contracted_use_id
                  AND uc.allowed_use_id = l.observed_use_id) AS bad_on_contracted
      FROM latest l
      JOIN parcel p ON p.id = l.parcel_id
      JOIN land_use seen ON seen.id = l.observed_use_id
      LEFT JOIN land_use designated ON designated.id = p.designated_use_id
      -- The contract in force on the inspection day (the latest one started, if two).
      LEFT JOIN LATERAL (
          SELECT c.id, c.number, c.contracted_use_id
            FROM contract_object co
            JOIN lease_contract c ON c.id = co.contract_id
           WHERE co.parcel_id = p.id AND c.status <> 'draft' AND c.archived_at IS NULL
             AND c.start_date <= l.inspected_on
             AND l.inspected_on <= LEAST(c.end_date, c.terminated_on)
           ORDER BY c.start_date DESC, c.id DESC LIMIT 1) c ON true
      LEFT JOIN land_use contracted ON contracted.id = c.contracted_use_id
)
SELECT 'parcel:' || x.parcel_id AS fingerprint, x.municipality_id, x.parcel_id,
       x.contract_id, NULL::int AS building_id,
       jsonb_build_object(
           'parcel', x.ident_code, 'parcel_status', x.parcel_status,
           'designated_use', x.designated_use, 'observed_use', x.observed_use,
           'allowed_on_designated_use', NOT x.bad_on_designated,
           'contract', x.contract_number, 'contracted_use', x.contracted_use,
           'allowed_on_contracted_use', CASE WHEN x.contract_id IS NOT NULL
                                             THEN NOT x.bad_on_contracted END,
           'inspection', {inspection_json("x", "seen")}) AS evidence
  FROM checked x
  JOIN land_use seen ON seen.id = x.observed_use_id
 WHERE x.bad_on_designated OR x.bad_on_contracted
""")

RULE = Rule(
    code="misuse",
    label=N_("Use not allowed"),
    severity=Severity.CRITICAL,
    object_kind="parcel",
    finds="an inspection saw a use the parcel's designated (or contracted) use does not "
    "allow, e.g. greening used as a café",
    message=Sentence.of(
        N_(
            "Parcel %(parcel)s (designated for %(designated)s) was seen used as %(observed)s "
            "at the inspection of %(date)s by %(inspector)s; %(lease)s."
        ),
        designated=Field("designated_use", missing=N_("no designated use"), names="designated_use"),
        observed=Field("observed_use", names="observed_use"),
        date="inspection.date",
        inspector="inspection.inspector",
        lease=Either(
            "contract",
            then=Sentence.of(
                N_("contract %(contract)s is for %(use)s"),
                use=Field("contracted_use", missing=N_("no stated use"), names="contracted_use"),
            ),
            otherwise=Sentence.of(N_("no contract was in force")),
        ),
    ),
    select=QUERY,
    weight=4,
)
