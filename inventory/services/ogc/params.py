"""The query parameters of an items request, parsed and checked.

Nothing here reaches SQL as text: values become bind parameters, and a property filter
is accepted only when its name is in the layer's whitelist.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from inventory.services.errors import ValidationError
from inventory.services.public.layers import Layer

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

#: Parameters of the standard itself; anything else is a property filter (or unknown).
STANDARD = {"f", "bbox", "limit", "offset", "datetime", "bbox-crs", "lang"}


@dataclass(frozen=True)
class ItemsQuery:
    """What a client asked for. `bbox` is (minx, miny, maxx, maxy) in lon/lat;
    `period` is an inclusive (start, end) of ISO dates, either end None for open."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    period: tuple[str | None, str | None] | None = None
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def is_filtered(self) -> bool:
        return bool(self.bbox or self.period or self.filters)


def parse_items_query(layer: Layer, args: Mapping[str, str]) -> ItemsQuery:
    """Parse `limit`, `offset`, `bbox`, `datetime` and property filters.

    Raises ValidationError (400) naming the parameter for a malformed value, a
    `datetime` on a layer without time, or a filter the layer does not offer. A `limit`
    above the maximum is lowered to it, as the standard allows.
    """
    limit = min(_int(args, "limit", DEFAULT_LIMIT, minimum=1), MAX_LIMIT)
    offset = _int(args, "offset", 0, minimum=0)
    bbox = _bbox(args["bbox"]) if args.get("bbox") else None
    if args.get("bbox-crs") not in (None, "", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"):
        raise ValidationError("only CRS84 is supported", field="bbox-crs")
    period = None
    if args.get("datetime"):
        if layer.temporal is None:
            raise ValidationError("this collection has no time", field="datetime")
        period = _period(args["datetime"])
    filters = {}
    for name, value in args.items():
        if name in STANDARD:
            continue
        if name not in layer.filters:
            raise ValidationError(
                "unknown parameter; filters here: %(filters)s",
                field=name,
                filters=", ".join(sorted(layer.filters)),
            )
        filters[name] = value
    return ItemsQuery(limit=limit, offset=offset, bbox=bbox, period=period, filters=filters)


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


def _bbox(raw: str) -> tuple[float, float, float, float]:
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        raise ValidationError("four numbers expected: minx,miny,maxx,maxy", field="bbox") from None
    if len(numbers) == 6:  # minx,miny,minz,maxx,maxy,maxz: the heights do not matter
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise ValidationError("four numbers expected: minx,miny,maxx,maxy", field="bbox")
    minx, miny, maxx, maxy = numbers
    if miny > maxy or not (-90 <= miny <= 90 and -90 <= maxy <= 90):
        raise ValidationError("latitudes out of order or range", field="bbox")
    if minx > maxx:
        raise ValidationError("boxes across the antimeridian are not supported", field="bbox")
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
