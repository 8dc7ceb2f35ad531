"""The query parameters of an items request, parsed and checked.

Nothing here reaches SQL as text: values become bind parameters, and a property name is
accepted only when it names a field of the layer (or an older filter name of one).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from inventory.services.errors import ValidationError
from inventory.services.ogc import crs as crs_module
from inventory.services.ogc import queryables
from inventory.services.ogc.cql import Condition, parse_filter
from inventory.services.ogc.crs import Crs
from inventory.services.public.layers import Layer
from inventory.services.terms import bounded

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

#: Parameters of the standards themselves; anything else is a property filter (or unknown).
STANDARD = {
    "f",
    "bbox",
    "limit",
    "offset",
    "datetime",
    "bbox-crs",
    "lang",
    "crs",
    "filter",
    "filter-lang",
    "filter-crs",
    "sortby",
    "properties",
}


@dataclass(frozen=True)
class ItemsQuery:
    """What a client asked for. `bbox` is (minx, miny, maxx, maxy) in `bbox_crs` with
    easting first (a west greater than the east crosses the antimeridian); `period` is
    an inclusive (start, end) of ISO dates, either end None for open; `filters` maps
    property (or older filter) names to the value they must equal; `sortby` is
    (column, descending) pairs; `properties` the fields to return (None: all); `crs` the
    CRS of the returned geometry."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    bbox_crs: Crs = crs_module.DEFAULT
    period: tuple[str | None, str | None] | None = None
    filters: dict[str, str] = field(default_factory=dict)
    condition: Condition | None = None
    sortby: tuple[tuple[str, bool], ...] = ()
    properties: tuple[str, ...] | None = None
    crs: Crs = crs_module.DEFAULT

    @property
    def is_filtered(self) -> bool:
        return bool(self.bbox or self.period or self.filters or self.condition)


def parse_items_query(layer: Layer, args: Mapping[str, str]) -> ItemsQuery:
    """Parse `limit`, `offset`, `bbox`, `bbox-crs`, `datetime`, `crs`, `filter`,
    `filter-lang`, `filter-crs`, `sortby`, `properties` and property filters.

    Raises ValidationError (400) naming the parameter for a malformed value, an
    unsupported CRS or an unknown property. A `limit` above the maximum is lowered to it,
    as the standard allows. `datetime` on a layer without time selects every feature
    (the standard's rule: features without time match any time).
    """
    limit = min(_int(args, "limit", DEFAULT_LIMIT, minimum=1), MAX_LIMIT)
    offset = _int(args, "offset", 0, minimum=0)
    bbox_crs = crs_module.parse_crs(args.get("bbox-crs"), "bbox-crs")
    bbox = _bbox(args["bbox"], bbox_crs) if args.get("bbox") else None
    period = _period(args["datetime"]) if args.get("datetime") else None
    if layer.temporal is None:
        period = None
    condition = None
    if args.get("filter"):
        condition = parse_filter(
            layer,
            args["filter"],
            args.get("filter-lang") or "cql2-text",
            crs_module.parse_crs(args.get("filter-crs"), "filter-crs"),
        )
    filters = {}
    for name, value in args.items():
        if name in STANDARD:
            continue
        if name not in layer.filters and name not in layer.field_names:
            raise ValidationError(
                "unknown parameter; filters here: %(filters)s",
                field=name,
                # Property names first, then the older filter names that differ.
                filters=", ".join(dict.fromkeys([*layer.field_names, *sorted(layer.filters)])),
            )
        bounded(value, name)  # a text filter's bound, as every list's (services.terms)
        filters[name] = value
    return ItemsQuery(
        limit=limit,
        offset=offset,
        bbox=bbox,
        bbox_crs=bbox_crs,
        period=period,
        filters=filters,
        condition=condition,
        sortby=_sortby(layer, args.get("sortby")),
        properties=_properties(layer, args.get("properties")),
        crs=crs_module.parse_crs(args.get("crs"), "crs"),
    )


def _sortby(layer: Layer, raw: str | None) -> tuple[tuple[str, bool], ...]:
    """`sortby=+a,-b` (or `a:A`, `b:D`) as (column, descending) pairs."""
    keys = []
    for part in (raw or "").split(","):
        name, descending = part.strip(), False
        if name[:1] in "+-" and name:
            name, descending = name[1:], name[0] == "-"
        elif name[-2:].upper() in (":A", ":D"):
            name, descending = name[:-2], name[-1].upper() == "D"
        if not name:
            continue
        column, kind = queryables.column(layer, name)
        if kind == "geometry":
            raise ValidationError("cannot sort by the geometry", field="sortby")
        keys.append((column, descending))
    return tuple(keys)


def _properties(layer: Layer, raw: str | None) -> tuple[str, ...] | None:
    """`properties=a,b`: the fields to return; None when absent (all)."""
    if raw is None:
        return None
    names = []
    for name in (part.strip() for part in raw.split(",")):
        if name and queryables.column(layer, name)[1] != "geometry":
            names.append(queryables.column(layer, name)[0])
    return tuple(names)


def _int(args: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError("not an integer", field=name) from None
    if value < minimum:
        raise ValidationError("must be at least %(minimum)s", field=name, minimum=minimum)
    return value


def _bbox(raw: str, crs: Crs) -> tuple[float, float, float, float]:
    """The box with easting first whatever the CRS's axis order. In a geographic CRS
    a west greater than the east is a box across the antimeridian."""
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        raise ValidationError("four numbers expected: minx,miny,maxx,maxy", field="bbox") from None
    if len(numbers) == 6:  # minx,miny,minz,maxx,maxy,maxz: the heights do not matter
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise ValidationError("four numbers expected: minx,miny,maxx,maxy", field="bbox")
    if crs.lat_first:
        numbers = [numbers[1], numbers[0], numbers[3], numbers[2]]
    minx, miny, maxx, maxy = numbers
    if crs.srid == 4326:
        if miny > maxy or not (-90 <= miny <= 90 and -90 <= maxy <= 90):
            raise ValidationError("latitudes out of order or range", field="bbox")
    elif miny > maxy or minx > maxx:
        raise ValidationError("four numbers expected: minx,miny,maxx,maxy", field="bbox")
    return minx, miny, maxx, maxy


def _period(raw: str) -> tuple[str | None, str | None]:
    """An instant or an interval (`a/b`, `../b`, `a/..`) as inclusive ISO dates."""
    parts = raw.split("/")
    if len(parts) == 1:
        day = _day(parts[0])
        return day, day
    if len(parts) != 2:
        raise ValidationError("an instant or an interval start/end expected", field="datetime")
    start, end = (None if p in ("", "..") else _day(p) for p in parts)
    if start and end and start > end:
        raise ValidationError("the interval ends before it starts", field="datetime")
    return start, end


def _day(text: str) -> str:
    """The calendar date of an RFC 3339 date or date-time (contracts are kept by day)."""
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise ValidationError("not an RFC 3339 date or date-time", field="datetime") from None
