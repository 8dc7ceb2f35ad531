"""Migration 0018 on a database with lessees: an ИП stored as a legal entity with its
personal ИНН becomes an individual entrepreneur; companies and private persons stay."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from inventory.database import migrate
from tests.migrations import add_osh, database_at

LESSEES = [
    # name, kind at 0017, ИНН, kind expected after 0018
    ("ИП Асанов Б. Т.", "legal_entity", "21505198000123", "individual_entrepreneur"),
    ("ОсОО «Ак-Жол»", "legal_entity", "01234567890123", "legal_entity"),
    ("Токтосунова Г.", "individual", "11203199000456", "individual"),
]


def _kinds(conn) -> dict[str, str]:
    return dict(conn.execute(sa.text("SELECT name, kind FROM lessee")).all())


def _synonym(conn, form: str) -> str:
    return conn.execute(
        sa.text("SELECT code FROM reference_synonym WHERE domain = 'lessee_kind' AND synonym = :f"),
        {"f": form},
    ).scalar_one()


@pytest.mark.slow
def test_0018_makes_entrepreneurs_of_legal_entities_with_a_personal_inn(database_url_for_tests):
    with database_at(database_url_for_tests, "0017") as (url, engine):
        with engine.begin() as conn:
            place = add_osh(conn)
            for name, kind, inn, _ in LESSEES:
                conn.execute(
                    sa.text(
                        "INSERT INTO lessee (municipality_id, kind, name, inn) "
                        "VALUES (:m, :kind, :name, :inn)"
                    ),
                    {"m": place, "kind": kind, "name": name, "inn": inn},
                )
        migrate.upgrade(url, "0018")
        with engine.connect() as conn:
            assert _kinds(conn) == {name: after for name, _, _, after in LESSEES}
            assert {_synonym(conn, form) for form in ("ИП", "ЖИ", "жеке ишкер")} == {
                "individual_entrepreneur"
            }
            assert _synonym(conn, "И.П.") == "individual_entrepreneur"
            assert _synonym(conn, "ф/л") == "individual"
        command.downgrade(migrate.alembic_config(url), "0017")
        with engine.connect() as conn:
            # Back to two kinds: the entrepreneur is kept private, nothing is published.
            assert _kinds(conn)["ИП Асанов Б. Т."] == "individual"
            assert _synonym(conn, "ИП") == "individual"
