"""Statement triggers stay linear in the rows one statement changes, whatever ran before
on the same connection (migration 0010).

PL/pgSQL keeps a statement's plan for the connection's life. The triggers that pair the
old and new rows of an update used to keep the plan made for a handful of rows, a nested
loop, and then compared every old row with every new one in a bulk update on that
connection: 18,000 anomaly flags took minutes. Each test here primes the connection with
empty updates, as an officer's edits or a scan's no-op merges do, then updates ROWS rows
in one statement. The statement timeout is no speed target: the update needs about a
second, the old plan took minutes; the timeout only stops a test that would hang.
"""

import pytest
import sqlalchemy as sa

from tests import factories as f

ROWS = 30_000
#: More runs than PL/pgSQL's five before it may settle on one plan for good.
PRIMING = 7

_FILL = {
    "lessee": """
        INSERT INTO lessee (municipality_id, kind, name, inn, external_key)
        SELECT :m, 'legal_entity', 'ОсОО «Тест ' || g || '»', lpad(g::text, 14, '0'),
               'bulk-' || g
          FROM generate_series(1, :rows) g""",
    "anomaly_flag": """
        INSERT INTO anomaly_flag (municipality_id, rule, severity, fingerprint, message,
                                  evidence, evidence_hash, status)
        SELECT :m, 'dq_bad_code', 'info', 'bulk|' || g, 'bad code', '{}', md5(g::text),
               'open'
          FROM generate_series(1, :rows) g""",
    "parcel": """
        INSERT INTO parcel (municipality_id, ident_code, status, geom)
        SELECT :m, '5-08-99-' || lpad(g::text, 8, '0'), 'free',
               ST_Multi(ST_MakeEnvelope(72.70 + (g % 200) * 0.0005,
                                        40.45 + (g / 200) * 0.0005,
                                        72.70 + (g % 200) * 0.0005 + 0.0003,
                                        40.45 + (g / 200) * 0.0005 + 0.0003, 4326))
          FROM generate_series(1, :rows) g""",
}
#: An update that each table's update triggers (history, flags, overlaps, tiles) record.
_UPDATE = {
    "lessee": "UPDATE lessee SET name = name || ' ' WHERE external_key LIKE 'bulk-%'",
    "anomaly_flag": "UPDATE anomaly_flag SET status = 'confirmed' WHERE fingerprint LIKE 'bulk|%'",
    "parcel": "UPDATE parcel SET status = 'reserved', geom = ST_Translate(geom, 0.00001, 0) "
    "WHERE ident_code LIKE '5-08-99-%'",
}


@pytest.mark.parametrize("table", ["lessee", "anomaly_flag", "parcel"])
def test_a_bulk_update_after_small_ones_stays_linear(db_session, table):
    osh = f.municipality(db_session, "osh")
    db_session.execute(sa.text(_FILL[table]), {"m": osh.id, "rows": ROWS})
    for _ in range(PRIMING):
        db_session.execute(sa.text(f"UPDATE {table} SET id = id WHERE false"))
    db_session.execute(sa.text("SET LOCAL statement_timeout = '60s'"))
    before = db_session.scalar(sa.text("SELECT count(*) FROM change_record"))
    updated = db_session.execute(sa.text(_UPDATE[table])).rowcount
    db_session.execute(sa.text("SET LOCAL statement_timeout = 0"))
    assert updated == ROWS
    recorded = db_session.scalar(sa.text("SELECT count(*) FROM change_record")) - before
    assert recorded == ROWS
    if table == "parcel":
        assert (
            db_session.scalar(
                sa.text(
                    "SELECT count(*) FROM parcel_overlap_stale s "
                    "JOIN parcel p ON p.id = s.parcel_id "
                    "WHERE p.ident_code LIKE '5-08-99-%'"
                )
            )
            == ROWS
        )
