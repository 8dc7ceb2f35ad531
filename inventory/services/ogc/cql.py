"""CQL2 filters (Features Part 3 `filter`, `filter-lang`, `filter-crs`) as SQL.

pygeofilter parses CQL2 text and CQL2 JSON into an AST; this module turns that AST into
a WHERE condition over `f`, a row of the layer. Property names resolve to the layer's
columns (inventory.services.ogc.queryables), never to request text, and every value is
a bind parameter: nothing a client sends is formatted into SQL.

Supported: AND/OR/NOT, = <> < <= > >=, LIKE, BETWEEN, IN, IS NULL, CASEI on text,
dates compared with DATE()/TIMESTAMP() literals, the spatial functions S_INTERSECTS,
S_DISJOINT, S_EQUALS, S_TOUCHES, S_CROSSES, S_WITHIN, S_CONTAINS, S_OVERLAPS on the
geometry, and the temporal functions T_INTERSECTS, T_BEFORE, T_AFTER, T_DURING,
T_EQUALS, T_DISJOINT on date properties.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text

from inventory.services.errors import ValidationError
from inventory.services.ogc import queryables
from inventory.services.ogc.crs import Crs, input_sql
from inventory.services.public.layers import Layer

LANGUAGES = ("cql2-text", "cql2-json")
# Functions of the instant/interval algebra that a day-long date property cannot answer
# meaningfully, and array functions (no property is an array).
_UNSUPPORTED = re.compile(
    r"(?i)\b(t_(overlaps|overlappedby|meets|metby|begins|begunby|ends|endedby|contains)"
    r"|a_(contains|containedby|equals|overlaps))\b"
)

_COMPARISONS = {
    ast.Equal: "=",
    ast.NotEqual: "<>",
    ast.LessThan: "<",
    ast.LessEqual: "<=",
    ast.GreaterThan: ">",
    ast.GreaterEqual: ">=",
}
_MIRRORED = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_SPATIAL = {
    ast.GeometryIntersects: "ST_Intersects",
    ast.GeometryDisjoint: "ST_Disjoint",
    ast.GeometryEquals: "ST_Equals",
    ast.GeometryTouches: "ST_Touches",
    ast.GeometryCrosses: "ST_Crosses",
    ast.GeometryWithin: "ST_Within",
    ast.GeometryContains: "ST_Contains",
    ast.GeometryOverlaps: "ST_Overlaps",
}
# pygeofilter reads T_INTERSECTS (and T_OVERLAPS, refused before parsing) as TimeOverlaps.
_TEMPORAL = (
    ast.TimeOverlaps,
    ast.TimeBefore,
    ast.TimeAfter,
    ast.TimeDuring,
    ast.TimeEquals,
    ast.TimeDisjoint,
)


@dataclass
class Condition:
    """A WHERE condition over `f`, its bind parameters and the columns it reads."""

    sql: str
    params: dict[str, Any] = field(default_factory=dict)
    columns: set[str] = field(default_factory=set)


def parse_filter(layer: Layer, raw: str, language: str, crs: Crs) -> Condition:
    """The condition of a `filter` in `language` (cql2-text or cql2-json), geometries in
    it read in `crs`. Raises ValidationError naming `filter` for what cannot be read or
    is not supported, saying why."""
    if language not in LANGUAGES:
        raise ValidationError(
            "must be one of: %(choices)s", field="filter-lang", choices=", ".join(LANGUAGES)
        )
    if _UNSUPPORTED.search(raw):
        raise ValidationError("this CQL2 function is not supported", field="filter")
    try:
        if language == "cql2-json":
            tree = parse_json(_boxes_as_polygons(json.loads(raw)))
        else:
            tree = parse_text(_temporal_functions_infix(raw))
    except ValidationError:
        raise
    except Exception:  # the parsers raise their own many kinds of error
        raise ValidationError(
            "not a valid %(language)s expression", field="filter", language=language
        ) from None
    condition = Condition("")
    condition.sql = _Translator(layer, crs, condition).node(tree)
    return condition


class _Translator:
    def __init__(self, layer: Layer, crs: Crs, condition: Condition) -> None:
        self.layer, self.crs, self.condition = layer, crs, condition

    def bind(self, value: Any) -> str:
        name = f"cql_{len(self.condition.params)}"
        self.condition.params[name] = value
        return f":{name}"

    def column(self, node: Any) -> tuple[str, str]:
        """The SQL and type of a property, or of CASEI(property)."""
        if isinstance(node, ast.Function) and node.name == "lower" and len(node.arguments) == 1:
            sql, kind = self.column(node.arguments[0])
            if kind != "str":
                raise ValidationError("CASEI applies to text properties only", field="filter")
            return f"lower({sql})", kind
        if not isinstance(node, ast.Attribute):
            raise ValidationError("a property name expected", field="filter")
        name, kind = queryables.column(self.layer, node.name)
        self.condition.columns.add(name)
        if kind == "date":
            return f"(f.{name})::date", kind
        return f"f.{name}", kind

    def value(self, node: Any, kind: str) -> str:
        """A literal as a bind parameter of the property's type."""
        if isinstance(node, ast.Function) and node.name == "lower" and len(node.arguments) == 1:
            return f"lower({self.value(node.arguments[0], kind)})"
        if kind == "date":
            return f"CAST({self.bind(_date(node))} AS date)"
        if kind in ("int", "float"):
            if isinstance(node, bool) or not isinstance(node, int | float):
                raise ValidationError("a number expected", field="filter")
            return self.bind(node)
        if isinstance(node, str | int | float) and not isinstance(node, bool):
            return self.bind(str(node))
        raise ValidationError("a text value expected", field="filter")

    def node(self, node: Any) -> str:  # noqa: PLR0911 - one branch per kind of node
        if isinstance(node, ast.And | ast.Or):
            word = "AND" if isinstance(node, ast.And) else "OR"
            return f"({self.node(node.lhs)} {word} {self.node(node.rhs)})"
        if isinstance(node, ast.Not):
            return f"NOT ({self.node(node.sub_node)})"
        if type(node) in _COMPARISONS:
            op, lhs, rhs = _COMPARISONS[type(node)], node.lhs, node.rhs
            if not _is_property(lhs):
                op, lhs, rhs = _MIRRORED[op], rhs, lhs
            sql, kind = self.column(lhs)
            return f"{sql} {op} {self.value(rhs, kind)}"
        if isinstance(node, ast.Like):
            sql, kind = self.column(node.lhs)
            if kind != "str":
                raise ValidationError("LIKE applies to text properties only", field="filter")
            word = ("NOT " if node.not_ else "") + ("ILIKE" if node.nocase else "LIKE")
            return f"{sql} {word} {self.bind(node.pattern)}"
        if isinstance(node, ast.Between):
            sql, kind = self.column(node.lhs)
            word = "NOT BETWEEN" if node.not_ else "BETWEEN"
            return f"{sql} {word} {self.value(node.low, kind)} AND {self.value(node.high, kind)}"
        if isinstance(node, ast.In):
            sql, kind = self.column(node.lhs)
            items = ", ".join(self.value(item, kind) for item in node.sub_nodes)
            return f"{sql} {'NOT IN' if node.not_ else 'IN'} ({items})"
        if isinstance(node, ast.IsNull):
            sql, _ = self.column(node.lhs)
            return f"{sql} IS {'NOT ' if node.not_ else ''}NULL"
        if type(node) in _SPATIAL:
            return self.spatial(_SPATIAL[type(node)], node.lhs, node.rhs)
        if isinstance(node, _TEMPORAL):
            return self.temporal(node)
        if isinstance(node, ast.Include):
            return "false" if node.not_ else "true"
        raise ValidationError("this CQL2 expression is not supported", field="filter")

    def spatial(self, function: str, lhs: Any, rhs: Any) -> str:
        if not _is_property(lhs):
            lhs, rhs = rhs, lhs
            function = {"ST_Within": "ST_Contains", "ST_Contains": "ST_Within"}.get(
                function, function
            )
        sql, kind = self.column(lhs)
        if kind != "geometry":
            raise ValidationError("spatial functions apply to the geometry", field="filter")
        return f"{function}({sql}, {self.geometry(rhs)})"

    def geometry(self, node: Any) -> str:
        if isinstance(node, ast.Function) and node.name == "bbox":
            minx, miny, maxx, maxy = (float(v) for v in node.arguments[:4])
            shape = _box(minx, miny, maxx, maxy)
        elif isinstance(node, values.Envelope):
            shape = _box(node.x1, node.y1, node.x2, node.y2)
        elif isinstance(node, values.Geometry):
            shape = node.geometry
        else:
            raise ValidationError("a geometry expected", field="filter")
        text = self.bind(json.dumps(shape))
        return input_sql(self.crs, f"ST_GeomFromGeoJSON({text})")

    def temporal(self, node: Any) -> str:
        sql, kind = self.column(node.lhs)
        if kind != "date":
            raise ValidationError("temporal functions apply to date properties", field="filter")
        start, end = _interval(node.rhs)
        low = f"CAST({self.bind(start)} AS date)" if start else None
        high = f"CAST({self.bind(end)} AS date)" if end else None
        # A date property is an instant of one day; the literal an instant or an interval
        # (either end open).
        inside = (
            " AND ".join(
                part for part in (low and f"{sql} >= {low}", high and f"{sql} <= {high}") if part
            )
            or f"{sql} IS NOT NULL"
        )
        if isinstance(node, ast.TimeOverlaps):
            return f"({inside})"
        if isinstance(node, ast.TimeDisjoint):
            return f"({sql} IS NOT NULL AND NOT ({inside}))"
        if isinstance(node, ast.TimeBefore):
            return f"{sql} < {low}" if low else "false"
        if isinstance(node, ast.TimeAfter):
            return f"{sql} > {high}" if high else "false"
        if isinstance(node, ast.TimeEquals):
            return f"{sql} = {low}" if low and start == end else "false"
        # T_DURING: strictly inside an interval
        lower = f"{sql} > {low}" if low else f"{sql} IS NOT NULL"
        return f"({lower} AND {sql} < {high})" if high else f"({lower})"


def _is_property(node: Any) -> bool:
    return isinstance(node, ast.Attribute) or (
        isinstance(node, ast.Function)
        and node.name == "lower"
        and any(isinstance(a, ast.Attribute) for a in node.arguments)
    )


def _box(minx: float, miny: float, maxx: float, maxy: float) -> dict[str, Any]:
    ring = [[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]
    return {"type": "Polygon", "coordinates": [ring]}


def _date(node: Any) -> dt.date:
    if isinstance(node, dt.datetime):
        return node.date()
    if isinstance(node, dt.date):
        return node
    if isinstance(node, str):
        try:
            return dt.date.fromisoformat(node[:10])
        except ValueError:
            pass
    raise ValidationError("a date expected", field="filter")


def _interval(node: Any) -> tuple[dt.date | None, dt.date | None]:
    if isinstance(node, values.Interval):
        return (
            None if node.start in (None, "..") else _date(node.start),
            None if node.end in (None, "..") else _date(node.end),
        )
    day = _date(node)
    return day, day


def _boxes_as_polygons(node: Any) -> Any:
    """CQL2 JSON with each `{"bbox": [...]}` made a polygon (pygeofilter reads the four
    numbers in another order than the standard's minx, miny, maxx, maxy)."""
    if isinstance(node, dict):
        if set(node) == {"bbox"} and isinstance(node["bbox"], list) and len(node["bbox"]) >= 4:
            box = node["bbox"]
            if len(box) == 6:
                box = [box[0], box[1], box[3], box[4]]
            return _box(*box[:4])
        return {key: _boxes_as_polygons(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_boxes_as_polygons(item) for item in node]
    return node


_TEMPORAL_CALL = re.compile(r"(?i)\b(T_[A-Z]+)\s*\(")
_DATE_LITERAL = re.compile(r"(?i)\bDATE\s*\(\s*'(\d{4}-\d{2}-\d{2})'\s*\)")
_INTERVAL_DATES = re.compile(r"'(\d{4}-\d{2}-\d{2})'")


def _temporal_functions_infix(text: str) -> str:
    """CQL2 text with `T_X(a, b)` written `(a T_X b)`, the form pygeofilter's grammar
    reads, and the dates inside (DATE('…'), INTERVAL('…','…')) as its timestamps."""
    while True:
        match = _first_outside_strings(text)
        if match is None:
            return text
        start, open_at = match.start(), match.end() - 1
        close, comma, depth, quoted = None, None, 0, False
        for index in range(open_at, len(text)):
            char = text[index]
            if char == "'":
                quoted = not quoted
            elif quoted:
                continue
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    close = index
                    break
            elif char == "," and depth == 1 and comma is None:
                comma = index
        if close is None or comma is None:
            return text  # malformed: let the parser say so
        left, right = text[open_at + 1 : comma].strip(), text[comma + 1 : close].strip()
        right = _DATE_LITERAL.sub(r"TIMESTAMP('\1T00:00:00Z')", right)
        if right.upper().startswith("INTERVAL"):
            right = _INTERVAL_DATES.sub(r"'\1T00:00:00Z'", right)
        text = f"{text[:start]}({left} {match[1].upper()} {right}){text[close + 1 :]}"


def _first_outside_strings(text: str) -> re.Match[str] | None:
    for match in _TEMPORAL_CALL.finditer(text):
        if text[: match.start()].count("'") % 2 == 0:
            return match
    return None
