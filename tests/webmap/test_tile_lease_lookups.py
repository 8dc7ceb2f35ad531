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


#: The alias each lease table has in the tile statement (tiles.CURRENT_LEASE_JOINS).
ALIASES = {"parcel_current_lease": "cl", "lease_contract": "c", "lessee": "l"}


def test_the_lease_lookups_read_only_their_covering_indexes(db_session, company_lease):
    # What makes each lookup an index-only scan on a vacuumed table: every column the
    # statement names of the table is in the covering index. That is read from the
    # statement itself: which scan the planner picks, and which columns a scan node
    # lists as its output (a scan may hand on the whole row to spare a projection),
    # vary with the rows and statistics other tests leave in the database.
    text = tiles._TILE_SQL.text
    for table, alias in ALIASES.items():
        assert re.search(rf"\b{table} {alias}\b", text), f"{table} is no longer {alias}"
        named = set(re.findall(rf"(?<![\w.]){alias}\.(\w+)", text))
        assert named, f"the tile statement no longer reads {table}"
        assert named <= _index_columns(db_session, COVERING[table]), (table, named)
    # And where the planner does read an index alone, it is the covering one.
    plan = db_session.execute(
        sa.text("EXPLAIN (FORMAT JSON) " + text), _params(*_tile_of(company_lease, 16))
    ).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    for node in _nodes(plan[0]["Plan"]):
        if node.get("Relation Name") in COVERING and node["Node Type"] == "Index Only Scan":
            assert node["Index Name"] == COVERING[node["Relation Name"]], node


def test_the_lease_lookups_follow_the_parcels_in_id_order(db_session, company_lease):
    # The fenced subquery orders the tile's parcels by id. The plan gets that order by
    # sorting them, or, where the planner finds reading the primary key cheaper (a small
    # table, as other tests leave it), by reading them in key order; nothing else sorts.
    text = tiles._TILE_SQL.text
    assert re.search(r"ORDER BY p\.id\s+OFFSET 0", text), "the parcels are no longer ordered"
    plan = db_session.execute(
        sa.text("EXPLAIN (FORMAT JSON) " + text), _params(*_tile_of(company_lease, 16))
    ).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    nodes = list(_nodes(plan[0]["Plan"]))
    sorts = [node["Sort Key"] for node in nodes if "Sort" in node["Node Type"]]
    in_key_order = [
        node
        for node in nodes
        if node.get("Relation Name") == "parcel" and node.get("Index Name") == "pk_parcel"
    ]
    assert sorts == [["p_1.id"]] or (not sorts and in_key_order), (sorts, in_key_order)


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
