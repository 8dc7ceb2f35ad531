"""How a parcel tile from zoom 14 on finds each parcel's lessee: three key lookups
(current lease, contract, lessee) that read covering indexes alone (migration 0028),
over the tile's parcels sorted by id, and the same features as before."""

import json
import re

import mapbox_vector_tile
import sqlalchemy as sa

from inventory import models as m
from inventory.services import geometry as geo
from inventory.services.public import tiles
from tests import factories as f
from tests.webmap.conftest import COMPANY_NAME, PRIVATE_NAME, tile_of

#: Each lookup of the lease joins and the covering index that answers it.
COVERING = {
    "parcel_current_lease": "ix_parcel_current_lease_parcel_contract",
    "lease_contract": "ix_lease_contract_id_lessee",
    "lessee": "ix_lessee_id_kind_name",
}


def _tile_of(parcel, z):
    centre = geo.from_db(parcel.geom).centroid
    return tile_of(centre.x, centre.y, z)


def _params(z, x, y):
    return {
        "z": z,
        "x": x,
        "y": y,
        "margin": tiles.BUFFER / tiles.EXTENT,
        "tolerance": tiles.simplify_tolerance(z),
    }


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _index_columns(db_session, index: str) -> set[str]:
    """Every column an index holds, its keys and its INCLUDE columns."""
    return set(
        db_session.scalars(
            sa.text(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indexrelid = CAST(:index AS regclass)"
            ),
            {"index": index},
        )
    )


def test_the_lease_lookups_read_only_their_covering_indexes(db_session, company_lease):
    # What makes each lookup an index-only scan on a vacuumed table: every column the
    # statement reads of the table (its output and its conditions) is in the covering
    # index. Which scan the planner picks also depends on how much of the table the
    # visibility map marks all-visible, which varies with autovacuum in a test database,
    # so the columns are checked, and any index-only scan must be on the covering index.
    # Joins are kept to key lookups (no hash or merge join, no whole-table read), the
    # tile's own plan on a large table, so what each lookup reads does not change with
    # the rows other tests have left in the test database.
    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin"):
        db_session.execute(sa.text(f"SET LOCAL {setting} = off"))
    plan = db_session.execute(
        sa.text("EXPLAIN (VERBOSE, FORMAT JSON) " + tiles._TILE_SQL.text),
        _params(*_tile_of(company_lease, 16)),
    ).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    read: dict[str, set[str]] = {table: set() for table in COVERING}
    for node in _nodes(plan[0]["Plan"]):
        table = node.get("Relation Name")
        if table not in COVERING:
            continue
        if node["Node Type"] == "Index Only Scan":
            assert node["Index Name"] == COVERING[table], node
        alias = node["Alias"]
        said = " ".join(
            [*node.get("Output", []), node.get("Index Cond", ""), node.get("Filter", "")]
        )
        read[table] |= set(re.findall(rf"\b{re.escape(alias)}\.(\w+)", said))
    for table, index in COVERING.items():
        assert read[table], f"the tile statement no longer reads {table}"
        assert read[table] <= _index_columns(db_session, index), (table, read[table])


def test_the_lease_lookups_follow_the_parcels_in_id_order(db_session, company_lease):
    plan = db_session.execute(
        sa.text("EXPLAIN (FORMAT JSON) " + tiles._TILE_SQL.text),
        _params(*_tile_of(company_lease, 16)),
    ).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    sorts = [node["Sort Key"] for node in _nodes(plan[0]["Plan"]) if node["Node Type"] == "Sort"]
    assert sorts == [["p_1.id"]]


def test_a_dense_street_keeps_every_lessee_and_mask(client, db_session, osh):
    # Parcels made in an order unlike their ids' (the sort must not lose or swap a lessee):
    # leased to companies, to private individuals, free, and disputed under a lease.
    lon, lat = f.OSH[0] + 0.0311, f.OSH[1] + 0.0093
    expected = {}
    for i in range(12):
        shape = f.square(lon + (11 - i) * 0.00009, lat + (i % 3) * 0.00007, 6)
        if i % 4 == 3:
            parcel = f.parcel(db_session, status=m.ParcelStatus.FREE, shape=shape)
            expected[parcel.id] = (None, None)
            continue
        private = i % 4 == 1
        lessee = f.lessee(
            db_session,
            kind=m.LesseeKind.INDIVIDUAL if private else m.LesseeKind.LEGAL_ENTITY,
            name=f"{PRIVATE_NAME} {i}" if private else f"{COMPANY_NAME} {i}",
            inn=None if private else f"0123456789{i:04d}",
        )
        status = m.ParcelStatus.DISPUTED if i % 4 == 2 else m.ParcelStatus.LEASED
        parcel = f.parcel(db_session, status=status, shape=shape)
        f.contract(db_session, parcel, lessee=lessee)
        expected[parcel.id] = ("individual", None) if private else ("legal_entity", lessee.name)
    z, x, y = tile_of(lon + 0.0005, lat, 17)
    response = client.get(f"/tiles/parcels/{z}/{x}/{y}.pbf")
    assert response.status_code == 200
    shown = {
        feature["properties"]["id"]: feature["properties"]
        for feature in mapbox_vector_tile.decode(response.data)["parcels"]["features"]
    }
    assert {
        pid: (props.get("lessee_kind"), props.get("lessee"))
        for pid, props in shown.items()
        if pid in expected
    } == expected
    assert PRIVATE_NAME.encode() not in response.data
