"""No page runs a script for being inline: the Content-Security-Policy never allows
'unsafe-inline' for scripts. A page with folium's map script names a fresh nonce, and
only its own <script> tags carry it; the pages beside the map, which show residents' and
officers' text, need no nonce at all. So a script slipped into an address or a report
could not run even if escaping failed."""

from __future__ import annotations

import re

import pytest

from tests import factories as f


def script_sources(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    directive = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    return directive.split()[1:]


def nonce_of(response) -> str:
    sources = script_sources(response)
    assert "'unsafe-inline'" not in sources
    (nonce,) = [s for s in sources if s.startswith("'nonce-")]
    return nonce[len("'nonce-") : -1]


def inline_scripts(html: str) -> list[str]:
    """Opening tags of <script> elements without src that the browser would run."""
    tags = re.findall(r"<script\b[^>]*>", html)
    return [t for t in tags if "src=" not in t and "application/json" not in t]


def test_the_map_page_runs_its_scripts_by_a_fresh_nonce_only(client):
    first, second = client.get("/"), client.get("/")
    nonce = nonce_of(first)
    assert nonce != nonce_of(second)
    scripts = inline_scripts(first.get_data(as_text=True))
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)


@pytest.mark.parametrize("path", ["/parcels/{id}", "/free", "/report", "/about-data", "/stats"])
def test_public_pages_showing_peoples_text_refuseinline_scripts(client, db_session, path):
    parcel = f.parcel(db_session, address="<script>alert(1)</script>")
    db_session.flush()
    response = client.get(path.format(id=parcel.id))
    assert response.status_code == 200
    assert script_sources(response) == ["'self'"]
