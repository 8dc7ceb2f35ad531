"""area_mismatch: the documented area and the area measured in Kyrg-06 differ by more
than the threshold (10 %) of the measured area.

The measured area is `parcel.measured_area`, which the database computes whenever the
geometry is written (trigger `parcel_measure`), so a scan compares two stored numbers
instead of reprojecting every polygon; the Kyrg-06 zone named in the evidence comes
from the stored `parcel.surface_point`.
"""

from __future__ import annotations

import sqlalchemy as sa

from inventory.models import Severity
from inventory.services.anomalies.rules.base import Rule, in_municipality, scoped
from inventory.services.anomalies.rules.sentences import Sentence, number
from inventory.services.privacy import N_

QUERY = sa.text(f"""
SELECT 'parcel:' || p.id AS fingerprint, p.municipality_id, p.id AS parcel_id,
       NULL::int AS contract_id, NULL::int AS building_id,
       jsonb_build_object('parcel', p.ident_code, 'documented_m2', p.documented_area,
                          'measured_m2', p.measured_area, 'measured_in', 'EPSG:' || m.srid,
                          'difference_percent',
                          round(100 * (p.documented_area - p.measured_area)
                                / p.measured_area, 1),
                          'threshold_percent', CAST(:percent AS numeric)) AS evidence
  FROM parcel p
 CROSS JOIN LATERAL (
       SELECT inventory_kyrg06_srid(ST_X(p.surface_point)) AS srid) m
 WHERE p.geom IS NOT NULL AND p.documented_area IS NOT NULL AND p.archived_at IS NULL
   AND p.measured_area > 0
   AND abs(p.documented_area - p.measured_area)
       > p.measured_area * CAST(:percent AS numeric) / 100
   AND {in_municipality("p.municipality_id")} AND {scoped("parcel", "p.id")}
""")

RULE = Rule(
    code="area_mismatch",
    label=N_("Documented and measured area differ"),
    severity=Severity.WARNING,
    object_kind="parcel",
    finds="documented and measured (Kyrg-06) area differ by more than "
    "{ANOMALY_AREA_MISMATCH_PERCENT} % of the measured one",
    message=Sentence.of(
        N_(
            "Parcel %(parcel)s: %(documented)s m² on the papers, %(measured)s m² measured in "
            "Kyrg-06, %(crs)s (%(percent)s %%)."
        ),
        documented=number("documented_m2"),
        measured=number("measured_m2"),
        crs="measured_in",
        percent=number("difference_percent"),
    ),
    select=QUERY,
    settings={"percent": "ANOMALY_AREA_MISMATCH_PERCENT"},
)
