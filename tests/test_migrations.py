"""The migrations build exactly the schema the models describe, and can be undone."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from geoalchemy2 import alembic_helpers

from inventory.database import migrate
from inventory.database.scratch import scratch_database
from inventory.database.session import make_engine
from inventory.models import Base


def _include(obj, name, type_, reflected, compare_to):
    if type_ == "table" and name in {"spatial_ref_sys", "alembic_version"}:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def test_models_and_the_migrated_database_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": _include, "compare_type": True}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_is_at_the_head_revision(database_url_for_tests):
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(migrate.alembic_config("x")).get_current_head()
    assert migrate.current_revision(database_url_for_tests) == head


@pytest.mark.slow
def test_downgrade_to_nothing_and_upgrade_again(database_url_for_tests):
    with scratch_database(database_url_for_tests, "inventory_migr_", migrated=False) as url:
        migrate.upgrade(url)
        from alembic import command

        command.downgrade(migrate.alembic_config(url), "base")
        eng = make_engine(url, poolclass=sa.pool.NullPool)
        with eng.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names()) - {
                "spatial_ref_sys",
                "alembic_version",
            }
        eng.dispose()
        assert tables == set()
        migrate.upgrade(url)
        assert migrate.current_revision(url) is not None


def test_flags_leave_room_for_hot_updates_and_spatial_indexes_build_buffered(engine):
    with engine.connect() as conn:
        options = dict(
            conn.execute(
                sa.text(
                    "SELECT relname, array_to_string(reloptions, ',') FROM pg_class "
                    "WHERE relname IN ('anomaly_flag', 'idx_parcel_geom', 'idx_building_geom', "
                    "'idx_parcel_surface_point', 'idx_inspection_position')"
                )
            ).all()
        )
    assert options["anomaly_flag"] == "fillfactor=70"
    for index in (
        "idx_parcel_geom",
        "idx_building_geom",
        "idx_parcel_surface_point",
        "idx_inspection_position",
    ):
        assert options[index] == "buffering=on", index
