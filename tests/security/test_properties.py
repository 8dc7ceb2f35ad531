"""Property tests: whatever officers' files hold, the importer answers, never crashes.

Parsers give a value or ValueError; reading a file gives a table or ValidationError;
geometry checks give a polygon, a ValidationError or a reason, never another exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.services import geometry as geo
from inventory.services.errors import ValidationError
from inventory.services.imports import values
from inventory.services.imports.reading import read_table

PARSERS = [
    values.parse_date,
    values.parse_decimal,
    values.parse_positive_decimal,
    values.parse_non_negative_decimal,
    values.parse_int,
    values.parse_bool,
    values.parse_float,
    values.parse_inn,
    values.choice("a", "b"),
]
#: What a spreadsheet cell or a CSV field can hold.
CELLS = st.one_of(
    st.text(), st.integers(), st.floats(), st.decimals(), st.booleans(), st.dates(), st.datetimes()
)
FAST = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: getattr(p, "__name__", "choice"))
@FAST
@given(cell=CELLS)
def test_a_parser_returns_a_value_or_raises_value_error(parser, cell):
    try:
        parser(cell)
    except ValueError:
        pass


def _read(suffix: str, content: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            return read_table(path)
        except ValidationError:
            return None


@FAST
@given(content=st.binary(max_size=2000))
def test_any_bytes_as_csv_give_a_table_or_a_validation_error(content):
    _read(".csv", content)


@FAST
@given(content=st.text(max_size=1000).map(str.encode))
def test_any_text_as_csv_with_geometry_columns_gives_a_table_or_a_validation_error(content):
    _read(".csv", b"wkt;lon;lat;name\n" + content)


JSON_TEXT = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=500), JSON_TEXT.map(lambda v: __import__("json").dumps(v).encode())
    )
)
def test_any_geojson_upload_gives_a_table_or_a_validation_error(body):
    _read(".geojson", body)


COORDINATE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
RINGS = st.lists(st.tuples(COORDINATE, COORDINATE), min_size=0, max_size=12)


@FAST
@given(points=RINGS, holes=st.lists(RINGS, max_size=2))
def test_geometry_checks_never_crash_on_any_coordinates(points, holes):
    candidates = []
    for make in (
        lambda: shapely.Polygon(points, holes),
        lambda: shapely.MultiPolygon([shapely.Polygon(points)]),
        lambda: shapely.LineString(points),
        lambda: shapely.MultiPoint(points),
    ):
        try:
            candidates.append(make())
        except (ValueError, shapely.errors.GEOSException):
            continue  # shapely refused to build it: nothing for us to check
    for shape in candidates:
        try:
            geo.as_multipolygon(shape)
        except ValidationError:
            pass
        reason = geo.validity_problem(shape)
        assert reason is None or isinstance(reason, str)
