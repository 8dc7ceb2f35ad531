"""Only the public map page may run an inline script; the pages beside it, which show
residents' and officers' text, keep a Content-Security-Policy that refuses inline scripts,
so a script slipped into an address or a report could not run even if escaping failed."""

from __future__ import annotations

import pytest

from tests import factories as f


def script_sources(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    directive = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    return directive.split()[1:]


def test_the_map_page_is_the_public_page_allowed_an_inline_script(client):
    assert "'unsafe-inline'" in script_sources(client.get("/"))


@pytest.mark.parametrize("path", ["/parcels/{id}", "/free", "/report", "/about-data", "/stats"])
def test_public_pages_showing_peoples_text_refuse_inline_scripts(client, db_session, path):
    parcel = f.parcel(db_session, address="<script>alert(1)</script>")
    db_session.flush()
    response = client.get(path.format(id=parcel.id))
    assert response.status_code == 200
    assert script_sources(response) == ["'self'"]
