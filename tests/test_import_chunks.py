"""A large parcel file is checked and written a chunk at a time, the next chunk checked
while the database writes the last (imports.chunks). Nothing changes for the officer:
the same rows are written, the same problems reported by their row in the file, and a
file with any error keeps nothing, also of chunks written before the error was found."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa
from shapely.geometry import mapping

from inventory.services.imports import KINDS, progress, run_import
from tests import factories as f


def _file(path, count, changes=None):
    """A GeoJSON file of `count` parcels; `changes` {row number: {field: value}}."""
    changes = changes or {}
    features = []
    for n in range(1, count + 1):
        props = {
            "municipality": "osh",
            "ident_code": f"5-08-01-0001-{n:04d}",
            "address": f"ул. Навои, {n}",
            "land_category": "settlements",
            "designated_use": "greening",
            "status": "free",
            "documented_area": "900",
            **changes.get(n, {}),
        }
        geometry = mapping(f.square(72.80 + n * 0.001, 40.52, metres=30))
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def osh(db_session):
    return f.municipality(db_session, "osh")


@pytest.fixture()
def chunks_of_three(monkeypatch):
    monkeypatch.setattr(KINDS["parcels"], "chunk_rows", 3)


def _kept(session) -> tuple[int, int, int]:
    """(parcels, their history entries, their overview rows) this test's transaction
    holds (other tests may have left history of their own parcels)."""
    return session.execute(
        sa.text(
            "SELECT (SELECT count(*) FROM parcel WHERE ident_code LIKE '5-08-01-0001-%'), "
            "(SELECT count(*) FROM change_record WHERE table_name = 'parcel' "
            "AND transaction_id = txid_current()), "
            "(SELECT count(*) FROM parcel_overview o JOIN parcel p ON p.id = o.parcel_id "
            "WHERE p.ident_code LIKE '5-08-01-0001-%')"
        )
    ).one()


def test_parcels_are_written_chunk_by_chunk_each_after_its_check(
    db_session, osh, tmp_path, chunks_of_three
):
    steps = []
    with progress.reporting(lambda stage, done, total: steps.append((stage, done))):
        report = run_import(db_session, "parcels", _file(tmp_path / "p.geojson", 10))
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (10, 0, 0)
    assert _kept(db_session) == (10, 10, 10)
    # Rows 4-6 are checked while rows 1-3 are written, and so on; the last chunk is
    # written once checked.
    assert [s for s in steps if s[0] in ("checked", "written")] == [
        ("checked", 3),
        ("written", 3),
        ("checked", 6),
        ("written", 6),
        ("checked", 9),
        ("written", 9),
        ("checked", 10),
        ("written", 10),
    ]
    again = run_import(db_session, "parcels", _file(tmp_path / "p.geojson", 10, {8: {"note": "x"}}))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 9)


def test_an_error_in_a_later_chunk_keeps_nothing_of_the_chunks_written_before(
    db_session, osh, tmp_path, chunks_of_three
):
    path = _file(tmp_path / "p.geojson", 10, {8: {"designated_use": "casino"}})
    report = run_import(db_session, "parcels", path)
    assert [(p.row, p.field) for p in report.errors] == [(8, "designated_use")]
    assert _kept(db_session) == (0, 0, 0)


def test_a_code_repeated_in_another_chunk_is_named_with_its_first_row(
    db_session, osh, tmp_path, chunks_of_three
):
    path = _file(tmp_path / "p.geojson", 10, {9: {"ident_code": "5-08-01-0001-0002"}})
    report = run_import(db_session, "parcels", path)
    assert [(p.row, p.field, p.params["first"]) for p in report.errors] == [(9, "ident_code", 2)]
    assert _kept(db_session) == (0, 0, 0)


def test_a_dry_run_in_chunks_counts_exactly_and_keeps_nothing(
    db_session, osh, tmp_path, chunks_of_three
):
    report = run_import(db_session, "parcels", _file(tmp_path / "p.geojson", 7), dry_run=True)
    assert report.ok and (report.created, report.updated, report.unchanged) == (7, 0, 0)
    assert _kept(db_session) == (0, 0, 0)


def test_a_database_refusal_in_one_chunk_still_lets_the_rest_of_the_file_be_checked(
    db_session, osh, tmp_path, chunks_of_three
):
    # A rule the import's checks do not know, only the database: the write of the
    # first chunk fails; the rows after it are still checked and their problems listed.
    db_session.execute(
        sa.text(
            "ALTER TABLE parcel ADD CONSTRAINT ck_test_no_second_house "
            "CHECK (address <> 'ул. Навои, 2')"
        )
    )
    path = _file(tmp_path / "p.geojson", 10, {8: {"designated_use": "casino"}})
    report = run_import(db_session, "parcels", path)
    assert [(p.row, p.field) for p in report.errors] == [
        (8, "designated_use"),
        (None, "ck_test_no_second_house"),
    ]
    assert _kept(db_session) == (0, 0, 0)


def test_the_checks_made_while_a_chunk_is_written_leave_the_session_to_the_writer(
    db_session, osh, tmp_path, chunks_of_three, monkeypatch
):
    # `prepare` runs while the chunk before is written on the same session from the
    # writer's thread: it must not send a statement of its own.
    parcels, events, preparing = KINDS["parcels"], [], threading.local()
    original = parcels.prepare

    def prepare(ctx, rows):
        events.append(("prepare", rows[0].number))
        preparing.on = True
        try:
            original(ctx, rows)
        finally:
            preparing.on = False

    def statement(conn, cursor, sql, *args):
        if getattr(preparing, "on", False):
            events.append(("statement while preparing", sql))

    monkeypatch.setattr(parcels, "prepare", prepare)
    engine = db_session.connection().engine
    sa.event.listen(engine, "before_cursor_execute", statement)
    try:
        with progress.reporting(lambda stage, done, total: events.append((stage, done))):
            report = run_import(db_session, "parcels", _file(tmp_path / "p.geojson", 10))
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
    assert report.ok, report.problems
    assert [e for e in events if e[0] == "statement while preparing"] == []
    # Rows 4-6 are prepared before the write of rows 1-3 is waited for.
    assert events.index(("prepare", 4)) < events.index(("written", 3))
    assert events.index(("prepare", 7)) < events.index(("written", 6))
    assert _kept(db_session) == (10, 10, 10)


def test_a_polygon_outside_its_municipality_in_a_later_chunk_is_refused_by_its_row(
    db_session, osh, tmp_path, chunks_of_three
):
    # The boundary is read once for the import; each chunk's polygons are still checked
    # against it, and the one reaching over the edge is measured and refused.
    path = _file(tmp_path / "p.geojson", 10)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][7]["geometry"] = mapping(f.square(f.OSH[0] + 0.1, 40.52, metres=30))
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = run_import(db_session, "parcels", path)
    assert [(p.row, p.field) for p in report.errors] == [(8, "geometry")]
    assert report.errors[0].params["outside"] > 100
    assert _kept(db_session) == (0, 0, 0)
