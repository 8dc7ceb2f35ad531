"""Feature queries of the OGC API: a page of a collection, one feature, how many match.

PostGIS builds the features: each page is one SQL statement that returns the GeoJSON
`features` array as text (geometry by ST_AsGeoJSON), which is spliced into the response
unparsed, as the UTF-8 bytes PostgreSQL sent. Filters are bind parameters; their column
names come from the layer's whitelist, never from the request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from psycopg.adapt import Loader

from inventory.services.errors import NotFound, ValidationError
from inventory.services.ogc import crs as crs_module
from inventory.services.ogc import queryables
from inventory.services.ogc.crs import Crs, output_sql
from inventory.services.ogc.params import ItemsQuery
from inventory.services.public.geojson import feature_sql
from inventory.services.public.layers import Layer

#: Up to this many rows (by the planner's estimate) a layer is counted exactly; above it
#: `numberMatched` is the planner's estimate, as counting a million rows on every page
#: of a client's paging would cost more than the page itself.
EXACT_COUNT_LIMIT = 50_000

#: No parallel workers and no JIT for the rest of the page's transaction. A page reads a
#: few thousand rows by index; starting a parallel worker for its box cost more than
#: the scan itself, most of all when the cores are busy with other requests (at
#: 1,000,000 parcels under load, the page statement's median fell from 37 to 19 ms with
#: workers off), and compiling it would cost more than running it.
_SERIAL = sa.text(
    "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
    "set_config('jit', 'off', true)"
)


@dataclass(frozen=True)
class FeaturePage:
    """One page: `features` is the JSON array as UTF-8 text (bytes); `has_more` says a
    next page exists; `matched` is exact when `matched_exact`, else the planner's
    estimate."""

    features: bytes
    returned: int
    has_more: bool
    matched: int
    matched_exact: bool


def where_clause(layer: Layer, query: ItemsQuery) -> tuple[str, dict[str, Any]]:
    """The WHERE condition over `f` (a row of the layer) and its bind parameters."""
    clauses, params = ["true"], {}
    if query.bbox:
        clauses.append(_bbox_clause(query, params))
    if query.period and layer.temporal:
        start_field, end_field = layer.temporal
        start, end = query.period
        # A record is in the period when its own term overlaps it; an open end (NULL)
        # runs forever. ISO dates compare correctly as text.
        if end is not None:
            params["period_end"] = end
            clauses.append(f"f.{start_field} <= :period_end")
        if start is not None:
            params["period_start"] = start
            clauses.append(f"(f.{end_field} IS NULL OR f.{end_field} >= :period_start)")
    for number, (name, value) in enumerate(sorted(query.filters.items())):
        column, kind = queryables.column(layer, name)  # a field of the layer, not the text
        if kind in ("int", "float"):
            try:
                params[f"filter_{number}"] = float(value)
            except ValueError:
                raise ValidationError("a number expected", field=name) from None
            clauses.append(f"f.{column} = :filter_{number}")
        else:
            params[f"filter_{number}"] = value
            clauses.append(f"f.{column}::text = :filter_{number}")
    if query.condition is not None:
        params.update(query.condition.params)
        clauses.append(f"({query.condition.sql})")
    return " AND ".join(clauses), params


def _bbox_clause(query: ItemsQuery, params: dict[str, Any]) -> str:
    """Features whose geometry intersects the box (/req/core/fc-bbox-response: "only
    features that have a spatial geometry that intersects the bounding box"); a feature
    without geometry intersects nothing, so a box never selects it. A box across the
    antimeridian is its two halves."""
    minx, miny, maxx, maxy = query.bbox
    srid = query.bbox_crs.srid
    boxes = [(minx, miny, maxx, maxy)]
    if srid == 4326 and minx > maxx:
        boxes = [(minx, miny, 180.0, maxy), (-180.0, miny, maxx, maxy)]
    tests = []
    for number, box in enumerate(boxes):
        names = [f"bbox{number}_{corner}" for corner in ("minx", "miny", "maxx", "maxy")]
        params.update(zip(names, box, strict=True))
        envelope = f"ST_MakeEnvelope(:{names[0]}, :{names[1]}, :{names[2]}, :{names[3]}, {srid})"
        if srid == 4326:
            # A feature whose bounding box lies inside the box intersects it; only those
            # that cross its edge need the exact test. In a dense box that is most
            # features, and the exact test was a tenth of the page's time.
            tests.append(f"(f.geom @ {envelope} OR ST_Intersects(f.geom, {envelope}))")
        else:
            tests.append(f"ST_Intersects(f.geom, ST_Transform({envelope}, 4326))")
    return f"({' OR '.join(tests)})"


def _columns(layer: Layer, query: ItemsQuery) -> set[str]:
    """The layer columns the query filters or sorts on."""
    used = {column for column, _ in query.sortby}
    used.update(queryables.column(layer, name)[0] for name in query.filters)
    if query.condition is not None:
        used |= query.condition.columns
    return used


def _order(query: ItemsQuery) -> str:
    # Empty values last either way: "-rent_year" lists the highest rents first, not the
    # parcels without a lease (PostgreSQL puts NULLs first when descending).
    keys = [
        f"f.{column} {'DESC NULLS LAST' if desc else 'ASC NULLS LAST'}"
        for column, desc in query.sortby
    ]
    return ", ".join([*keys, "f.id"])


# The page as one JSON array of text features, how many it holds, and whether more follow.
_PAGE_SELECT = """
    SELECT coalesce('[' || string_agg({feature}, ', ' ORDER BY f.rn)
                               FILTER (WHERE f.rn <= :limit) || ']', '[]') AS features,
           count(*) FILTER (WHERE f.rn <= :limit) AS returned,
           count(*) > :limit AS has_more"""


def _feature(layer: Layer, query: ItemsQuery) -> str:
    return feature_sql(
        layer,
        fields=query.properties,
        geometry=output_sql(query.crs, "f.geom"),
        precision=query.crs.precision,
    )


def items(session: so.Session, layer: Layer, query: ItemsQuery) -> FeaturePage:
    """A page of the layer in the order asked for (`sortby`, then id), with the count of
    all matching features."""
    where, params = where_clause(layer, query)
    session.execute(_SERIAL)
    # Filters and sort keys the keys SQL lacks are read on the full rows.
    keys_sql = layer.keys_sql
    if keys_sql and not _columns(layer, query) <= set(layer.key_fields):
        keys_sql = None
    source = keys_sql or layer.sql
    plan = _plan(session, layer.for_planning(source), where, params)
    estimate = int(plan["Plan Rows"])
    exact = estimate <= EXACT_COUNT_LIMIT
    # Counted in the statement that picks the page, which reads every match anyway to
    # order them; above the limit the planner's estimate stands in.
    matched = "count(*) OVER ()" if exact else "NULL::bigint"
    order = _order(query)
    feature = _feature(layer, query)
    from_key_rows = _built_from_key_rows(query, estimate, _index_rows(plan, layer.table))
    if keys_sql and layer.keys_page_sql and from_key_rows:
        statement = sa.text(f"""
            WITH keys AS MATERIALIZED (
                SELECT f.*, {matched} AS matched FROM ({keys_sql}) AS f
                WHERE {where} ORDER BY {order} LIMIT :limit_plus_one OFFSET :offset
            ), page AS (
                SELECT f.*, row_number() OVER (ORDER BY {order}) AS rn
                FROM ({layer.keys_page_sql.replace("{keys}", "keys")}) AS f
            )
            {_PAGE_SELECT.format(feature=feature)},
                   (SELECT max(matched) FROM keys) AS matched
            FROM page AS f""")
    elif keys_sql:
        # The page's ids are chosen on the layer's keys SQL; only those rows are built
        # in full (the id condition reaches the layer's scan through its primary key;
        # a semi-join, which plans in a millisecond where a join of the two took 27).
        statement = sa.text(f"""
            WITH keys AS MATERIALIZED (
                SELECT f.id, {matched} AS matched FROM ({keys_sql}) AS f
                WHERE {where} ORDER BY {order} LIMIT :limit_plus_one OFFSET :offset
            ), page AS (
                SELECT f.*, row_number() OVER (ORDER BY {order}) AS rn
                FROM ({layer.sql}) AS f WHERE f.id IN (SELECT id FROM keys)
            )
            {_PAGE_SELECT.format(feature=feature)},
                   (SELECT max(matched) FROM keys) AS matched
            FROM page AS f""")
    else:
        statement = sa.text(f"""
            WITH page AS (
                SELECT f.*, row_number() OVER (ORDER BY {order}) AS rn
                FROM (SELECT f.*, {matched} AS matched FROM ({layer.sql}) AS f
                      WHERE {where} ORDER BY {order} LIMIT :limit_plus_one OFFSET :offset) AS f
            )
            {_PAGE_SELECT.format(feature=feature)}, max(f.matched) AS matched
            FROM page AS f""")
    row = _page_row(
        session,
        statement,
        {**params, "limit": query.limit, "limit_plus_one": query.limit + 1, "offset": query.offset},
    )
    if not exact:
        # an estimate never below what was seen
        total = max(estimate, query.offset + row.returned)
    elif row.matched is not None:
        total = row.matched
    else:  # nothing on this page (an offset past the end): count on their own
        total = _count(session, source, where, params)
    return FeaturePage(
        features=row.features,
        returned=row.returned,
        has_more=row.has_more,
        matched=total,
        matched_exact=exact,
    )


#: A sorted page is built from its key rows when the planner expects at most this many
#: pages of matches (see _built_from_key_rows).
KEY_ROWS_PAGES = 2


def _built_from_key_rows(query: ItemsQuery, estimate: int, index_rows: int | None) -> bool:
    """Whether the page is built from the sorted rows of the keys SQL (the layer's
    `keys_page_sql` adds the lease) rather than from its ids, looked up again in `sql`.

    So when the query sorts on another field than id, which reads and sorts every match
    anyway, and the planner expects about a page of them: the page is then most of the
    matches, and each of its rows was looked up a second time by id (a dense box of
    1,000,000 parcels filtered on leased and sorted by area: 1,312 matches for a page of
    1,000, 10-15 % of the statement). With many more matches than a page, the narrow ids
    are sorted and only the page's rows are built. The planner's count of matches can be
    far too low (it cannot estimate the public status, a CASE), so the rows its index
    scan finds before any other condition (`index_rows`, as estimated) must be few too:
    a filter it misjudges over a whole table carried every match's full row through the
    sort (2.5 s against 0.8-1.3 s by ids for 600,000 leased parcels)."""
    sorted_otherwise = any(column != "id" for column, _ in query.sortby)
    most = KEY_ROWS_PAGES * (query.limit + 1)
    return sorted_otherwise and index_rows is not None and max(estimate, index_rows) <= most


def _index_rows(plan: dict[str, Any], table: str) -> int | None:
    """The rows the plan's bitmap scan of `table` takes from its indexes before any other
    condition, as estimated; None when it reads the table otherwise (whole, or by an
    index scan whose estimate includes its filters)."""
    if plan.get("Relation Name") == table:
        if plan["Node Type"] == "Bitmap Heap Scan":
            return int(plan["Plans"][0]["Plan Rows"])
        return None
    for child in plan.get("Plans", []):
        if child.get("Parent Relationship") == "SubPlan":
            continue
        found = _index_rows(child, table)
        if found is not None or _reads(child, table):
            return found
    return None


def _reads(plan: dict[str, Any], table: str) -> bool:
    return plan.get("Relation Name") == table or any(
        _reads(child, table) for child in plan.get("Plans", [])
    )


class _Utf8Bytes(Loader):
    """Text as the UTF-8 bytes PostgreSQL sent (the database's encoding is UTF-8)."""

    def load(self, data: Any) -> bytes:
        return bytes(data)


def _page_row(session: so.Session, statement: sa.TextClause, params: dict[str, Any]) -> Any:
    """The page statement's one row, its text (the features) as bytes: a thousand
    features are half a megabyte of text, which decoding into str and encoding again for
    the answer and its ETag cost the app's process more CPU than building the response
    (at 1,000,000 parcels, about 5 of its 12 ms a page). Only this statement's cursor
    reads text so; the loader is set on it just before it runs."""
    connection = session.connection()

    def raw_text(conn, cursor, statement, parameters, context, executemany) -> None:
        cursor.adapters.register_loader("text", _Utf8Bytes)

    sa.event.listen(connection, "before_cursor_execute", raw_text)
    try:
        return connection.execute(statement, params).one()
    finally:
        sa.event.remove(connection, "before_cursor_execute", raw_text)


def _plan(session: so.Session, source: str, where: str, params: dict[str, Any]) -> dict[str, Any]:
    """The planner's plan (EXPLAIN, not run) of the rows of `source` matching `where`."""
    plan = session.execute(
        sa.text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM ({source}) AS f WHERE {where}"),
        params,
    ).scalar()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]


def _estimate(session: so.Session, source: str, where: str, params: dict[str, Any]) -> int:
    """The planner's estimate of the rows of `source` matching `where`."""
    return int(_plan(session, source, where, params)["Plan Rows"])


def _count(session: so.Session, source: str, where: str, params: dict[str, Any]) -> int:
    return session.execute(
        sa.text(f"SELECT count(*) FROM ({source}) AS f WHERE {where}"), params
    ).scalar_one()


def count(session: so.Session, layer: Layer, query: ItemsQuery) -> tuple[int, bool]:
    """How many features match: (exact count, True) when the planner expects at most
    EXACT_COUNT_LIMIT rows, else (the planner's estimate, False)."""
    where, params = where_clause(layer, query)
    source = layer.filter_sql if _columns(layer, query) <= set(layer.key_fields) else layer.sql
    estimate = _estimate(session, layer.for_planning(source), where, params)
    if estimate > EXACT_COUNT_LIMIT:
        return estimate, False
    return _count(session, source, where, params), True


def item(session: so.Session, layer: Layer, feature_id: str, crs: Crs = crs_module.DEFAULT) -> str:
    """One feature as GeoJSON text, its geometry in `crs`. Raises NotFound for an
    unknown or non-numeric id."""
    try:
        number = int(feature_id)
    except ValueError:
        raise NotFound("no such feature", field="featureId") from None
    if not 0 < number < 2**31:  # beyond the id column's range: nothing there
        raise NotFound("no such feature", field="featureId")
    feature = feature_sql(layer, geometry=output_sql(crs, "f.geom"), precision=crs.precision)
    found = session.execute(
        sa.text(f"SELECT {feature} FROM ({layer.sql}) AS f WHERE f.id = :id"),
        {"id": number},
    ).scalar()
    if found is None:
        raise NotFound("no such feature", field="featureId")
    return found
