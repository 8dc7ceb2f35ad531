"""Feature queries of the OGC API: a page of a collection, one feature, how many match.

PostGIS builds the features: each page is one SQL statement that returns the GeoJSON
`features` array as text (geometry by ST_AsGeoJSON), which is spliced into the response
unparsed. Filters are bind parameters; their column names come from the layer's
whitelist, never from the request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.errors import NotFound
from inventory.services.ogc.params import ItemsQuery
from inventory.services.public.geojson import feature_sql
from inventory.services.public.layers import Layer

#: Up to this many rows (by the planner's estimate) a layer is counted exactly; above it
#: `numberMatched` is the planner's estimate, as counting a million rows on every page
#: of a client's paging would cost more than the page itself.
EXACT_COUNT_LIMIT = 50_000


@dataclass(frozen=True)
class FeaturePage:
    """One page: `features` is the JSON array as text; `has_more` says a next page
    exists; `matched` is exact when `matched_exact`, else the planner's estimate."""

    features: str
    returned: int
    has_more: bool
    matched: int
    matched_exact: bool


def where_clause(layer: Layer, query: ItemsQuery) -> tuple[str, dict[str, Any]]:
    """The WHERE condition over `f` (a row of the layer) and its bind parameters."""
    clauses, params = ["true"], {}
    if query.bbox:
        params.update(zip(("minx", "miny", "maxx", "maxy"), query.bbox, strict=True))
        # A feature whose bounding box lies inside the box intersects it; only those that
        # cross its edge need the exact test. In a dense box that is most features, and
        # the exact test was a tenth of the page's time.
        box = "ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)"
        clauses.append(f"f.geom && {box} AND (f.geom @ {box} OR ST_Intersects(f.geom, {box}))")
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
        column = layer.filters[name]  # whitelisted by parse_items_query
        params[f"filter_{number}"] = value
        clauses.append(f"f.{column}::text = :filter_{number}")
    return " AND ".join(clauses), params


# The page as one JSON array of text features, how many it holds, and whether more follow.
_PAGE_SELECT = """
    SELECT coalesce('[' || string_agg({feature}, ', ' ORDER BY f.id)
                               FILTER (WHERE f.rn <= :limit) || ']', '[]') AS features,
           count(*) FILTER (WHERE f.rn <= :limit) AS returned,
           count(*) > :limit AS has_more"""


def items(session: so.Session, layer: Layer, query: ItemsQuery) -> FeaturePage:
    """A page of the layer, ordered by id, with the count of all matching features."""
    where, params = where_clause(layer, query)
    estimate = _estimate(session, layer, where, params)
    exact = estimate <= EXACT_COUNT_LIMIT
    # Counted in the statement that picks the page, which reads every match anyway to
    # order them; above the limit the planner's estimate stands in.
    matched = "count(*) OVER ()" if exact else "NULL::bigint"
    if layer.keys_sql:
        # The page's ids are chosen on the layer's keys SQL; only those rows are built
        # in full (the id condition reaches the layer's scan through its primary key;
        # a semi-join, which plans in a millisecond where a join of the two took 27).
        statement = sa.text(f"""
            WITH keys AS MATERIALIZED (
                SELECT f.id, {matched} AS matched FROM ({layer.keys_sql}) AS f
                WHERE {where} ORDER BY f.id LIMIT :limit_plus_one OFFSET :offset
            ), page AS (
                SELECT f.*, row_number() OVER (ORDER BY f.id) AS rn
                FROM ({layer.sql}) AS f WHERE f.id IN (SELECT id FROM keys)
            )
            {_PAGE_SELECT.format(feature=feature_sql(layer))},
                   (SELECT max(matched) FROM keys) AS matched
            FROM page AS f""")
    else:
        statement = sa.text(f"""
            WITH page AS (
                SELECT f.*, row_number() OVER (ORDER BY f.id) AS rn
                FROM (SELECT f.*, {matched} AS matched FROM ({layer.sql}) AS f
                      WHERE {where} ORDER BY f.id LIMIT :limit_plus_one OFFSET :offset) AS f
            )
            {_PAGE_SELECT.format(feature=feature_sql(layer))}, max(f.matched) AS matched
            FROM page AS f""")
    row = session.execute(
        statement,
        {**params, "limit": query.limit, "limit_plus_one": query.limit + 1, "offset": query.offset},
    ).one()
    if not exact:
        # an estimate never below what was seen
        total = max(estimate, query.offset + row.returned)
    elif row.matched is not None:
        total = row.matched
    else:  # nothing on this page (an offset past the end): count on their own
        total = _count(session, layer, where, params)
    return FeaturePage(
        features=row.features,
        returned=row.returned,
        has_more=row.has_more,
        matched=total,
        matched_exact=exact,
    )


def _estimate(session: so.Session, layer: Layer, where: str, params: dict[str, Any]) -> int:
    """The planner's estimate of the rows matching `where`."""
    plan = session.execute(
        sa.text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM ({layer.filter_sql}) AS f WHERE {where}"),
        params,
    ).scalar()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _count(session: so.Session, layer: Layer, where: str, params: dict[str, Any]) -> int:
    return session.execute(
        sa.text(f"SELECT count(*) FROM ({layer.filter_sql}) AS f WHERE {where}"), params
    ).scalar_one()


def count(session: so.Session, layer: Layer, query: ItemsQuery) -> tuple[int, bool]:
    """How many features match: (exact count, True) when the planner expects at most
    EXACT_COUNT_LIMIT rows, else (the planner's estimate, False)."""
    where, params = where_clause(layer, query)
    estimate = _estimate(session, layer, where, params)
    if estimate > EXACT_COUNT_LIMIT:
        return estimate, False
    return _count(session, layer, where, params), True


def item(session: so.Session, layer: Layer, feature_id: str) -> str:
    """One feature as GeoJSON text. Raises NotFound for an unknown or non-numeric id."""
    try:
        number = int(feature_id)
    except ValueError:
        raise NotFound("no such feature", field="featureId") from None
    if not 0 < number < 2**31:  # beyond the id column's range: nothing there
        raise NotFound("no such feature", field="featureId")
    found = session.execute(
        sa.text(f"SELECT {feature_sql(layer)} FROM ({layer.sql}) AS f WHERE f.id = :id"),
        {"id": number},
    ).scalar()
    if found is None:
        raise NotFound("no such feature", field="featureId")
    return found
