"""`inventory import` tells the operator how far a long import has got, on stderr, so
that --json output stays a clean document."""

from __future__ import annotations

import json

import sqlalchemy as sa
from click.testing import CliRunner

from inventory.cli import main
from inventory.database.session import make_engine


def test_the_cli_prints_rows_read_checked_and_written_to_stderr(
    database_url_for_tests, monkeypatch, tmp_path
):
    monkeypatch.setenv("DATABASE_URL", database_url_for_tests)
    engine = make_engine(database_url_for_tests, poolclass=sa.pool.NullPool)
    path = tmp_path / "участки.csv"
    path.write_text(
        "Идентификационный код;Адрес;wkt\n"
        "1-01-01-0001-0001;ул. Ленина, 1;"
        "POLYGON((72.8 40.53,72.8004 40.53,72.8004 40.5303,72.8 40.53))\n"
        "1-01-01-0001-0002;ул. Ленина, 2;\n",
        encoding="utf-8",
    )
    with engine.connect() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO municipality (slug, name_ky, name_ru, name_en, boundary) "
                "VALUES ('cli-progress', 'П', 'П', 'P', ST_Multi(ST_MakeEnvelope("
                "72.7, 40.47, 72.9, 40.59, 4326)))"
            )
        )
        conn.commit()
        try:
            result = CliRunner().invoke(
                main,
                ["import", "parcels", str(path), "--municipality", "cli-progress", "--json"],
                catch_exceptions=False,
            )
            written = conn.scalar(
                sa.text(
                    "SELECT count(*) FROM parcel p JOIN municipality m "
                    "ON m.id = p.municipality_id WHERE m.slug = 'cli-progress'"
                )
            )
        finally:
            conn.execute(
                sa.text(
                    "DELETE FROM parcel WHERE municipality_id = "
                    "(SELECT id FROM municipality WHERE slug = 'cli-progress')"
                )
            )
            conn.execute(sa.text("DELETE FROM municipality WHERE slug = 'cli-progress'"))
            conn.commit()
    engine.dispose()
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # nothing but the report on stdout
    assert report["created"] == 2 and written == 2
    lines = result.stderr.splitlines()
    assert lines[:3] == ["rows read: 2 of 2", "rows checked: 2 of 2", "rows written: 2 of 2"]
