"""Helpers of the API tests (the cities, people and tokens are in tests/conftest.py)."""

from __future__ import annotations

from tests import factories as f

JALAL_ABAD = f.JALAL_ABAD


def polygon(shape) -> dict:
    """A shapely geometry as a GeoJSON dict."""
    import shapely.geometry

    return shapely.geometry.mapping(shape)
