"""What a resident's tile request costs the server: the kept tile's lookup and nothing of
the signed-in machinery (no user lookup, no cookie), while its answer still varies with
the cookie (an officer's tiles are private, inventory/web/freshness.py)."""

import sqlalchemy as sa

from tests import factories as f
from tests.webmap.conftest import tile_path


def test_a_residents_kept_tile_costs_one_statement_and_sets_no_cookie(
    client, connection, company_lease
):
    path = tile_path(company_lease)
    assert client.get(path).status_code == 200  # made and kept
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(connection, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(connection, "before_cursor_execute", count)
    assert response.status_code == 200
    assert len(statements) == 1 and "FROM tile_cache" in statements[0]
    assert "Set-Cookie" not in response.headers
    assert "Cookie" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_an_officers_tile_still_loads_the_officer_and_is_private(client, people, company_lease):
    path = tile_path(company_lease)
    officer = f.signed_in(client, people["officer_osh"]).get(path)
    assert officer.status_code == 200
    assert "private" in officer.headers["Cache-Control"]
    assert "Cookie" in officer.headers["Vary"]
