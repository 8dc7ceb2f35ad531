"""Small folium maps of the office pages, with every script served by this app.

Like the public map (webmap/mapbuild.py), folium's CDN links are replaced per instance
by the vendored copies under webmap/static/vendor; the parcel editor adds
folium.plugins.Draw pointed at the vendored Leaflet.draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from branca.element import MacroElement
from flask import current_app, url_for
from folium.plugins import Draw
from folium.template import Template
from markupsafe import Markup

from inventory.web.maps import FALLBACK_CENTRE, basemap, render_map


@dataclass(frozen=True)
class Rendered:
    header: Markup
    html: Markup
    script: Markup


def _vendor(filename: str) -> str:
    return url_for("webmap.static", filename=f"vendor/{filename}")


def _base(height: str) -> folium.Map:
    fmap = folium.Map(
        location=FALLBACK_CENTRE, zoom_start=15, tiles=None, control_scale=True, height=height
    )
    fmap.default_js = [("leaflet", _vendor("leaflet/leaflet.js"))]
    fmap.default_css = [("leaflet_css", _vendor("leaflet/leaflet.css"))]
    base = basemap(current_app.config.get("BASEMAP_URL"))
    if base:
        base.layer().add_to(fmap)
    return fmap


def _render(fmap: folium.Map) -> Rendered:
    rendered = render_map(fmap)
    return Rendered(Markup(rendered.header), Markup(rendered.html), Markup(rendered.script))


def _fit(fmap: folium.Map, geometry: dict | None) -> None:
    from shapely.geometry import shape

    if geometry:
        west, south, east, north = shape(geometry).bounds
        fmap.fit_bounds([[south, west], [north, east]], max_zoom=18)


def record_map(geometry: dict | None, *more: dict | None, point: dict | None = None) -> Rendered:
    """A small map showing a record's polygons (a parcel, a building, the objects of a
    contract) and a point (where an inspector stood)."""
    fmap = _base("260px")
    shapes = [g for g in (geometry, *more) if g]
    for shape in shapes:
        folium.GeoJson(
            {"type": "Feature", "geometry": shape, "properties": {}},
            style_function=lambda _f: {"color": "#0b6e4f", "weight": 2},
        ).add_to(fmap)
    if point:
        lon, lat = point["coordinates"][:2]
        folium.CircleMarker([lat, lon], radius=6, color="#d7191c", fill=True).add_to(fmap)
    everything = shapes + ([point] if point else [])
    if everything:
        _fit(fmap, {"type": "GeometryCollection", "geometries": everything})
    return _render(fmap)


class EditorSetup(MacroElement):
    """Hands the map and the editable layer to inventory/static/office/parcel_edit.js."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            OfficeParcelEditor.init({{ this._parent.get_name() }},
                                    {{ this.group.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, group: folium.FeatureGroup):
        super().__init__()
        self._name = "EditorSetup"
        self.group = group


def editor_map(geometry: dict | None) -> Rendered:
    """A map where one parcel polygon is drawn or edited with Leaflet.draw."""
    fmap = _base("480px")
    group = folium.FeatureGroup(name="parcel")
    group.add_to(fmap)
    draw = Draw(
        feature_group=group,
        show_geometry_on_click=False,
        position="topleft",
        draw_options={
            "polygon": {"allowIntersection": False, "showArea": True},
            "rectangle": True,
            "polyline": False,
            "circle": False,
            "marker": False,
            "circlemarker": False,
        },
        edit_options={"poly": {"allowIntersection": False}},
    )
    draw.default_js = [("leaflet_draw_js", _vendor("leaflet-draw/leaflet.draw.js"))]
    draw.default_css = [("leaflet_draw_css", _vendor("leaflet-draw/leaflet.draw.css"))]
    draw.add_to(fmap)
    EditorSetup(group).add_to(fmap)
    _fit(fmap, geometry)
    return _render(fmap)
