"""contract_expired_active: a contract past its end still treated as active, or an
ended contract whose parcel an inspection after the end saw occupied with no later
contract on it."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import (
    AS_OF,
    Rule,
    in_municipality,
    inspection_json,
    materialized_in_recheck,
    scoped,
)
from inventory.services.anomalies.rules.sentences import Either, Field, Sentence, number
from inventory.services.privacy import N_

_CONTRACTS = f"""
    c.archived_at IS NULL AND {in_municipality("c.municipality_id")}
    AND {scoped("contract", "c.id")}"""

QUERY = sa.text(f"""
WITH still_active AS (
    SELECT c.id, c.municipality_id, c.number, c.end_date
      FROM lease_contract c
     WHERE c.status = 'active' AND c.end_date < {AS_OF} AND {_CONTRACTS}
), occupied_after AS {materialized_in_recheck()} (
    -- The latest occupied inspection after the end, unless another contract on the
    -- parcel had started by then (then the occupant is that contract's lessee).
    SELECT DISTINCT ON (c.id)
           c.id, c.municipality_id, c.number, c.status,
           LEAST(c.end_date, c.terminated_on) AS ended_on,
           p.id AS parcel_id, p.ident_code, {inspection_json("i", "u")} AS inspection
      FROM lease_contract c
      JOIN contract_object co ON co.contract_id = c.id
      JOIN parcel p ON p.id = co.parcel_id AND p.archived_at IS NULL
      JOIN inspection i ON i.parcel_id = p.id AND i.occupied AND i.archived_at IS NULL
                       AND i.inspected_on > LEAST(c.end_date, c.terminated_on)
                       AND i.inspected_on <= {AS_OF}
      LEFT JOIN land_use u ON u.id = i.observed_use_id
     WHERE c.status IN ('expired', 'terminated') AND {_CONTRACTS}
       AND NOT EXISTS (
           SELECT 1 FROM contract_object later_co
             JOIN lease_contract later ON later.id = later_co.contract_id
            WHERE later_co.parcel_id = p.id AND later.id <> c.id
              AND later.status <> 'draft' AND later.archived_at IS NULL
              AND later.start_date > c.start_date AND later.start_date <= i.inspected_on)
     ORDER BY c.id, i.inspected_on DESC, i.id DESC
)
SELECT 'contract:' || id AS fingerprint, municipality_id, NULL::int AS parcel_id,
       id AS contract_id, NULL::int AS building_id,
       jsonb_build_object('case', 'status_active_after_end', 'contract', number,
                          'status', 'active', 'end_date', end_date, 'as_of', {AS_OF},
                          'days_past_end', {AS_OF} - end_date) AS evidence
  FROM still_active
UNION ALL
SELECT 'contract:' || id, municipality_id, parcel_id, id, NULL::int,
       jsonb_build_object('case', 'occupied_after_end', 'contract', number,
                          'status', status, 'ended_on', ended_on, 'parcel', ident_code,
                          'inspection', inspection)
  FROM occupied_after
""")

RULE = Rule(
    code="contract_expired_active",
    label=N_("Contract past its end still active or occupied"),
    severity=Severity.CRITICAL,
    object_kind="contract",
    finds="a contract past its end still marked active, or an ended one whose parcel is "
    "still occupied",
    message=Either(
        "case",
        equals="occupied_after_end",
        then=Sentence.of(
            N_(
                "Contract %(contract)s is %(status)s since %(ended_on)s, yet the inspection "
                "of %(date)s found parcel %(parcel)s occupied (%(use)s) and no later "
                "contract."
            ),
            date="inspection.date",
            status=Field("status", names="contract_status"),
            use=Field(
                "inspection.observed_use", missing=N_("use not recorded"), names="observed_use"
            ),
        ),
        otherwise=Sentence.of(
            N_(
                "Contract %(contract)s is still active but ended on %(end_date)s, %(days)s "
                "days before %(as_of)s."
            ),
            days=number("days_past_end"),
        ),
    ),
    select=QUERY,
    volatile=("as_of", "days_past_end"),
    weight=5,
)
