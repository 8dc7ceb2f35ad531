"""An OGC page runs serially and uncompiled: its transaction turns parallel workers and
JIT off before the page statement (inventory.services.ogc.features._SERIAL), since
starting a worker for a box of a few thousand index-found rows costs more than the scan,
most of all on a busy server."""

from __future__ import annotations

import sqlalchemy as sa

from inventory.services.ogc import features
from inventory.services.ogc.params import ItemsQuery
from inventory.services.public.layers import LAYERS
from tests import factories as f


def _setting(session, name: str) -> str:
    return session.execute(sa.text(f"SHOW {name}")).scalar_one()


def test_a_page_turns_parallel_workers_and_jit_off_for_its_transaction(db_session):
    f.parcel(db_session, shape=f.square(72.861, 40.561))
    db_session.flush()
    db_session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 2"))
    db_session.execute(sa.text("SET LOCAL jit = on"))

    page = features.items(
        db_session, LAYERS["parcels"], ItemsQuery(limit=5, bbox=(72.86, 40.56, 72.864, 40.562))
    )

    assert page.returned >= 1
    assert _setting(db_session, "max_parallel_workers_per_gather") == "0"
    assert _setting(db_session, "jit") == "off"
