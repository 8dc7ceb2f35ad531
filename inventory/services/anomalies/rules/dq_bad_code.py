"""dq_bad_code: an identification code that does not match its municipality's
pattern."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, scoped
from inventory.services.anomalies.rules.sentences import Field, Sentence
from inventory.services.privacy import N_

QUERY = sa.text(f"""
SELECT 'parcel:' || p.id AS fingerprint, p.municipality_id, p.id AS parcel_id,
       NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcel', p.ident_code, 'pattern', m.code_pattern,
                          'municipality', jsonb_build_object('ky', m.name_ky,
                                                             'ru', m.name_ru,
                                                             'en', m.name_en)) AS evidence
  FROM parcel p
  JOIN municipality m ON m.id = p.municipality_id
 WHERE p.ident_code !~ m.code_pattern AND p.archived_at IS NULL
   AND {in_municipality("p.municipality_id")} AND {scoped("parcel", "p.id")}
""")

RULE = Rule(
    code="dq_bad_code",
    label=N_("Malformed identification code"),
    severity=Severity.INFO,
    object_kind="parcel",
    finds="an identification code not matching its municipality's pattern",
    message=Sentence.of(
        N_("Parcel code '%(code)s' does not match the pattern %(pattern)s of %(municipality)s."),
        code="parcel",
        municipality=Field("municipality", localized=True),
    ),
    select=QUERY,
    # The municipality's name, in each language, is for the sentence: renaming a
    # municipality changes no flag's evidence.
    volatile=("municipality",),
    weight=5,
)
