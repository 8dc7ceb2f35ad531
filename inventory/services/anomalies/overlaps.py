"""The overlapping pairs of parcels, kept in `parcel_overlap` between scans.

Testing every parcel against its neighbours is a million spatial-index probes at
1,000,000 parcels, while from one scan to the next only the parcels someone drew,
imported, archived or restored have moved. Database triggers (migration 0007) list those
in `parcel_overlap_stale`; `refresh()` recomputes their pairs and nothing else. A new
installation, or one just migrated, has every parcel stale, so its first scan computes
all pairs.

Only a full scan refreshes: a re-check after an edit tests the edited parcel against its
neighbours directly (rules/parcel_overlap.py), and the parcel stays stale until the next
full scan stores its pairs.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so


def overlap_m2(a: str, b: str) -> str:
    """SQL: the overlap in m² (Kyrg-06) of the outlines `a` and `b`, NULL when only their
    edges meet. Always called with the lower id's outline as `a`, so every caller gets
    the same figure."""
    return f"inventory_area_m2(ST_CollectionExtract(ST_Intersection({a}, {b}), 3))"


#: SQL: the overlap of parcels `a` and `b` (the lower id) in m².
OVERLAP_M2 = overlap_m2("a.geom", "b.geom")

# The stale parcels and their marks as this refresh found them (a temporary table: the
# statements that read it need no parallel workers).
_TAKE = """
CREATE TEMPORARY TABLE overlap_taken ON COMMIT DROP AS
SELECT parcel_id, mark FROM parcel_overlap_stale
"""

_FORGET_OLD_PAIRS = (
    "DELETE FROM parcel_overlap o USING overlap_taken t WHERE o.a_id = t.parcel_id",
    "DELETE FROM parcel_overlap o USING overlap_taken t WHERE o.b_id = t.parcel_id",
)

# The pairs of the stale parcels, measured from the outlines the probe already holds (no
# second reading of both parcels by id: at 1,000,000 parcels that was two hash tables of
# every outline). A pair of two stale parcels is found from its lower id only. The
# overlap is measured in the pair's id order, as the re-check measures it.
_FIND = """
CREATE TEMPORARY TABLE overlap_found ON COMMIT DROP AS
SELECT least(x.id, y.id) AS a_id, greatest(x.id, y.id) AS b_id, o.m2
  FROM {stale}
  JOIN parcel y ON y.geom && x.geom AND y.id <> x.id AND y.archived_at IS NULL
               AND ST_Intersects(x.geom, y.geom)
               AND ST_Relate(x.geom, y.geom, '2********')
 CROSS JOIN LATERAL (SELECT {m2} AS m2) o
 WHERE x.archived_at IS NULL AND x.geom IS NOT NULL AND {once} AND o.m2 IS NOT NULL
"""

#: Some parcels stale: probe from those.
_FIND_STALE = _FIND.format(
    stale="overlap_taken s JOIN parcel x ON x.id = s.parcel_id",
    once="(y.id > x.id OR NOT EXISTS (SELECT 1 FROM overlap_taken s2 WHERE s2.parcel_id = y.id))",
    m2=overlap_m2(
        "CASE WHEN x.id < y.id THEN x.geom ELSE y.geom END",
        "CASE WHEN x.id < y.id THEN y.geom ELSE x.geom END",
    ),
)

#: Most parcels stale (a new installation, a migration, a bulk load): probe from every
#: parcel with no temporary table in the plan, so that PostgreSQL may share the million
#: probes among parallel workers (they cannot read a session's temporary tables).
_FIND_ALL = _FIND.format(stale="parcel x", once="y.id > x.id", m2=overlap_m2("x.geom", "y.geom"))

#: Every pair is recomputed when this many parcels and this share of them are stale
#: (below that, probing from the stale parcels alone takes a few seconds at most).
RECOMPUTE_ALL_FROM = 50_000
RECOMPUTE_ALL_SHARE = 0.2

_STORE = """
INSERT INTO parcel_overlap (a_id, b_id, overlap_m2)
SELECT DISTINCT ON (a_id, b_id) a_id, b_id, m2 FROM overlap_found ORDER BY a_id, b_id
ON CONFLICT (a_id, b_id) DO UPDATE SET overlap_m2 = EXCLUDED.overlap_m2
"""

# A parcel marked again while this refresh ran keeps its new mark, and so stays stale.
_CLEAR = """
DELETE FROM parcel_overlap_stale s USING overlap_taken t
 WHERE s.parcel_id = t.parcel_id AND s.mark = t.mark
"""


def refresh(session: so.Session) -> int:
    """Recompute the stored pairs of every stale parcel and clear their stale marks, in
    the session's transaction; return how many parcels were stale.

    Afterwards `parcel_overlap` holds exactly the pairs of live parcels whose interiors
    meet (as of this transaction), apart from parcels moved while it ran, which stay
    stale for the next refresh. The caller commits.
    """
    taken = session.execute(sa.text(_TAKE)).rowcount
    if taken:
        # Fresh statistics for both: the stale set is every parcel after a migration or a
        # bulk load and a handful on an ordinary night, and a plan made for the one is
        # ruinous for the other (a sequential scan of the stale table per parcel).
        session.execute(sa.text("ANALYZE overlap_taken"))
        session.execute(sa.text("ANALYZE parcel_overlap_stale"))
        parcels = session.scalar(
            sa.text(  # the planner's estimate is close enough
                "SELECT reltuples FROM pg_class WHERE oid = 'parcel'::regclass"
            )
        )
        if taken >= RECOMPUTE_ALL_FROM and taken >= RECOMPUTE_ALL_SHARE * parcels:
            session.execute(sa.text("DELETE FROM parcel_overlap"))
            session.execute(sa.text(_FIND_ALL))
        else:
            for statement in _FORGET_OLD_PAIRS:
                session.execute(sa.text(statement))
            session.execute(sa.text(_FIND_STALE))
        session.execute(sa.text(_STORE))
        session.execute(sa.text("DROP TABLE overlap_found"))
        session.execute(sa.text(_CLEAR))
    session.execute(sa.text("DROP TABLE overlap_taken"))
    return taken
