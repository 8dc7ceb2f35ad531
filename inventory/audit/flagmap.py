"""The map of the flagged parcels: a folium map using the Leaflet vendored under
webmap/static/vendor, whose data is fetched from the small GeoJSON endpoint of the
filtered flags (never embedded, never all parcels).

The page and its script are two requests (the script is served as a file, so the strict
Content-Security-Policy of the app needs no 'unsafe-inline'); fixed element ids make the
two renders agree on the names of the map and its layer.
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

from inventory.web.maps import RenderedMap, basemap, leaflet_map, texts_tag

SEVERITY_COLOURS = {"critical": "#b00020", "warning": "#a65b00", "info": "#0a5c8a"}


class FlagLayer(MacroElement):
    """Fetches the GeoJSON of the filtered flags, draws it coloured by severity with a
    link to each flag, and fits the map to it."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        fetch({{ this.url|tojson }}, {credentials: "same-origin"})
          .then(function (r) { return r.json(); })
          .then(function (data) {
            var colours = {{ this.colours|tojson }};
            var layer = L.geoJSON(data, {
              style: function (f) {
                return {color: colours[f.properties.severity] || "#555", weight: 2,
                        fillOpacity: 0.35};
              },
              onEachFeature: function (f, l) {
                var a = document.createElement("a");
                a.href = {{ this.detail|tojson }}.replace("999999999", f.properties.flag_id);
                a.textContent = f.properties.parcel + " — " + f.properties.rule;
                l.bindPopup(a);
              }
            }).addTo({{ this._parent.get_name() }});
            if (layer.getLayers().length) {
              {{ this._parent.get_name() }}.fitBounds(layer.getBounds(), {maxZoom: 17});
            }
          });
        {% endmacro %}
    """)

    def __init__(self, url: str, detail: str):
        super().__init__()
        self._name = "FlagLayer"
        self._id = "audit"
        self.url = url
        self.detail = detail
        self.colours = SEVERITY_COLOURS


def build(
    *,
    data_url: str,
    detail_url: str,
    leaflet_js: str,
    leaflet_css: str,
    basemap_url: str | None,
    basemap_name: str,
) -> RenderedMap:
    """Render the map; `detail_url` holds 999999999 where the flag id goes, and
    `basemap_url` is the BASEMAP_URL setting (inventory.web.maps.basemap reads it)."""
    fmap = leaflet_map(leaflet_js, leaflet_css, zoom_start=12)
    fmap._id = "audit"
    base = basemap(basemap_url)
    if base:
        tiles = base.layer(basemap_name)
        tiles._id = "audit"
        tiles.add_to(fmap)
    FlagLayer(data_url, detail_url).add_to(fmap)
    figure = fmap.get_root()
    figure.render()
    # folium's own header sizes html/body for a full-page map and has an inline script;
    # this map sits in a page, so only Leaflet's files go in the head (size: audit.css).
    header = (
        f'<script src="{leaflet_js}"></script>{texts_tag()}'
        f'<link rel="stylesheet" href="{leaflet_css}">'
    )
    script = "L_NO_TOUCH = false; L_DISABLE_3D = false;\n" + figure.script.render()
    return RenderedMap(header=header, html=figure.html.render(), script=script)
