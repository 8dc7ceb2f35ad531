"""The history records every row as `to_jsonb` renders it, geometry as GeoJSON with its
"crs", while rendering geometry without a coordinate-system lookup per value
(migration 0012): the renderer and `to_jsonb` must agree to the byte on every audited
table, or an officer's history and "restore this version" would change meaning. The one
difference is on purpose: the columns the database generates from the others (a
parcel's surface point and code key) are left out (migration 0026)."""

import sqlalchemy as sa
from shapely.geometry import Polygon

from inventory import models as m
from inventory.services import geometry as geo
from tests import factories as f

_POINT = "ST_SetSRID(ST_MakePoint(72.8012345678901, 40.5309876543210), 4326)"


def _rows_with_geometry_everywhere(session) -> None:
    """At least one row, with its geometry set, in every audited table that has any."""
    osh = f.municipality(session)
    f.zone(session, osh)
    f.protected_area(session, osh)
    parcel = f.parcel(session, osh, note="примечание «в кавычках»")
    bowtie = Polygon([(72.80, 40.53), (72.801, 40.531), (72.801, 40.53), (72.80, 40.531)])
    rejected = f.parcel(session, osh)
    session.execute(
        sa.text(
            "UPDATE parcel SET geom = NULL, geom_rejected = ST_GeomFromWKB(:wkb, 4326), "
            "geom_problem = 'Self-intersection' WHERE id = :id"
        ),
        {"wkb": bowtie.wkb, "id": rejected.id},
    )
    f.building(session, parcel, geom=geo.to_db(geo.as_multipolygon(f.square(metres=12))))
    inspection = f.inspection(session, parcel)
    session.execute(
        sa.text(f"UPDATE inspection SET position = {_POINT} WHERE id = :id"), {"id": inspection.id}
    )
    session.execute(
        sa.text(f"""
        INSERT INTO inspection_photo (inspection_id, stored_path, content_type, size_bytes,
                                      sha256, position)
        VALUES (:id, 'photos/history-test.jpg', 'image/jpeg', 10, repeat('a', 64),
                {_POINT})"""),
        {"id": inspection.id},
    )
    session.execute(
        sa.text(f"""
        INSERT INTO citizen_report (municipality_id, parcel_id, location, text)
        VALUES (:m, :p, {_POINT}, 'торговля на участке')"""),
        {"m": osh.id, "p": parcel.id},
    )
    lessee = f.lessee(session, osh)
    f.contract(session, parcel, lessee=lessee)


def _geometry_columns(session, table: str) -> list[str]:
    return list(
        session.scalars(
            sa.text(
                "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
                "AND attnum > 0 AND NOT attisdropped AND atttypid = 'geometry'::regtype"
            ),
            {"t": table},
        )
    )


def _generated_columns(session, table: str) -> list[str]:
    return list(
        session.scalars(
            sa.text(
                "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
                "AND attnum > 0 AND NOT attisdropped AND attgenerated <> ''"
            ),
            {"t": table},
        )
    )


def _recorded(session, table: str) -> str:
    """`to_jsonb(t)` less what the history leaves out: the generated columns of tables
    with geometry (to_jsonb's own triggers, on tables without, record them all)."""
    generated = _generated_columns(session, table) if _geometry_columns(session, table) else []
    names = ", ".join("'" + name + "'" for name in generated)
    return f"(to_jsonb(t) - CAST(ARRAY[{names}] AS text[]))" if generated else "to_jsonb(t)"


def test_the_history_of_every_audited_table_is_what_to_jsonb_makes(db_session):
    _rows_with_geometry_everywhere(db_session)
    for table in m.AUDITED_TABLES:
        geometries = _geometry_columns(db_session, table)
        recorded = _recorded(db_session, table)
        with_geometry = " OR ".join(f"t.{g} IS NOT NULL" for g in geometries) or "false"
        # Each row's latest recorded change against the row as it is now, as text: what
        # the history holds must not differ even in a digit or a key.
        compared, differing, drawn = db_session.execute(
            sa.text(f"""
            SELECT count(*), count(*) FILTER (WHERE c.after::text <> {recorded}::text),
                   count(*) FILTER (WHERE {with_geometry})
              FROM {table} t
              JOIN LATERAL (SELECT after FROM change_record
                             WHERE table_name = :table AND record_id = t.id
                             ORDER BY id DESC LIMIT 1) c ON true"""),
            {"table": table},
        ).one()
        assert compared > 0 or table not in _MADE, table
        assert differing == 0, table
        if geometries and table in _MADE:
            assert drawn > 0, f"{table}: no row with geometry was compared"


_MADE = {
    "municipality",
    "economic_zone",
    "protected_area",
    "land_category",
    "land_use",
    "parcel",
    "building",
    "lessee",
    "lease_contract",
    "contract_object",
    "inspection",
    "inspection_photo",
    "citizen_report",
}


def test_tables_with_geometry_use_the_triggers_that_render_it_fast(db_session):
    # A table with geometry on the to_jsonb triggers would still record the same, but
    # pay a spatial_ref_sys lookup per geometry: a new audited table with geometry must
    # be put on inventory_history_geo_* (migration 0012).
    functions = dict(
        db_session.execute(
            sa.text("""
        SELECT c.relname || ' ' || split_part(t.tgname, '_history_', 2), p.proname
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          JOIN pg_proc p ON p.oid = t.tgfoid
         WHERE t.tgname LIKE '%\\_history\\_%' AND NOT t.tgisinternal""")
        ).all()
    )
    for table in m.AUDITED_TABLES:
        kind = "geo_" if _geometry_columns(db_session, table) else ""
        for event in ("insert", "update", "delete"):
            expected = (
                "inventory_flag_history_update"
                if (table, event) == ("anomaly_flag", "update")
                else f"inventory_history_{kind}{event}"
            )
            assert functions[f"{table} {event}"] == expected, (table, event)


def test_a_parcels_history_leaves_out_what_the_database_derives(db_session):
    parcel = f.parcel(db_session)
    after = db_session.scalar(
        sa.text("SELECT after FROM change_record WHERE table_name = 'parcel' AND record_id = :id"),
        {"id": parcel.id},
    )
    assert {"geom", "ident_code", "measured_area"} <= after.keys()
    assert not {"surface_point", "ident_code_key"} & after.keys()


def test_an_update_and_a_delete_record_before_and_after_as_to_jsonb_makes(db_session):
    parcel = f.parcel(db_session)
    row = "SELECT (to_jsonb(p) - CAST(ARRAY['surface_point', 'ident_code_key'] AS text[]))::text "
    before = db_session.scalar(sa.text(row + "FROM parcel p WHERE id = :id"), {"id": parcel.id})
    db_session.execute(
        sa.text(
            "UPDATE parcel SET geom = ST_Translate(geom, 0.0001, 0), "
            "address = 'ул. Ленина, 5' WHERE id = :id"
        ),
        {"id": parcel.id},
    )
    after = db_session.scalar(sa.text(row + "FROM parcel p WHERE id = :id"), {"id": parcel.id})
    db_session.execute(sa.text("DELETE FROM parcel WHERE id = :id"), {"id": parcel.id})
    changes = db_session.execute(
        sa.text(
            "SELECT action, before::text, after::text FROM change_record "
            "WHERE table_name = 'parcel' AND record_id = :id ORDER BY id"
        ),
        {"id": parcel.id},
    ).all()
    assert [c.action for c in changes] == ["insert", "update", "delete"]
    assert (changes[1].before, changes[1].after) == (before, after)
    assert (changes[2].before, changes[2].after) == (after, None)


def test_a_table_wider_than_one_jsonb_build_object_call_renders_whole(db_session):
    # jsonb_build_object takes at most 100 arguments (50 columns): the renderer joins
    # calls of 40 columns each.
    extra = ", ".join(f"c{i} int DEFAULT {i}" for i in range(60))
    db_session.execute(
        sa.text(f"CREATE TEMP TABLE wide (id int, g geometry(Point, 4326), {extra})")
    )
    db_session.execute(sa.text(f"INSERT INTO wide (id, g) VALUES (1, {_POINT}), (2, NULL)"))
    expression = db_session.scalar(sa.text("SELECT inventory_history_json('wide', 't')"))
    assert expression.count("jsonb_build_object(") == 2
    rendered = db_session.execute(
        sa.text(f"SELECT ({expression})::text, to_jsonb(t)::text FROM wide t ORDER BY id")
    ).all()
    assert all(ours == theirs for ours, theirs in rendered)
    assert '"crs"' in rendered[0][0] and '"g": null' in rendered[1][0]
