"""The public map as a folium.Map whose every script and style is served by this app.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs by default; the map
here must work with no internet, so each element's `default_js`/`default_css` is set, per
instance, to files vendored under webmap/static/vendor (see its README.md). Only Leaflet
and Leaflet.VectorGrid are needed: the page has no markers, icons or Bootstrap widgets.

The map never embeds parcel data: parcels arrive as vector tiles, so the page stays a few
kilobytes whatever the size of the inventory.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from branca.element import MacroElement
from folium.plugins import VectorGridProtobuf
from folium.template import Template

from inventory.web.maps import Basemap, RenderedMap, leaflet_map, render_map

#: Colours of parcel statuses (the --status-* tokens of inventory/static/css/tokens.css):
#: each reaches 4.5:1 against white, so legend swatches, outlines and badges pass WCAG
#: 2.1 AA, and their lightness differs so free and leased do not read as one.
STATUS_COLOURS = {
    "free": "#1a7f37",
    "leased": "#0a5c8a",
    "municipal_use": "#7b3294",
    "reserved": "#a65b00",
    "disputed": "#c41a1c",
}


@dataclass(frozen=True)
class VendorUrls:
    leaflet_js: str
    leaflet_css: str
    vectorgrid_js: str


#: Outline of buildings, drawn over the parcels.
BUILDING_COLOUR = "#444444"


class PublicMapSetup(MacroElement):
    """Hands the map, its tile layers and the layer control to webmap/static/map.js
    (popups, search, filters, the GeoJSON overlays, the place kept in the URL).

    Rendered after the layer control, so every variable exists when it runs.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            PublicMap.init({{ this._parent.get_name() }}, {{ this.layer.get_name() }},
                           {{ this.buildings.get_name() }}, {{ this.control.get_name() }});
        {% endmacro %}
    """)

    def __init__(
        self, layer: VectorGridProtobuf, buildings: VectorGridProtobuf, control: folium.LayerControl
    ):
        super().__init__()
        self._name = "PublicMapSetup"
        self.layer = layer
        self.buildings = buildings
        self.control = control


def build_map(
    *,
    tiles_url: str,
    buildings_url: str,
    vendor: VendorUrls,
    basemap: Basemap | None,
    basemap_name: str,
    layer_name: str,
    buildings_name: str,
    bbox: list[float] | None,
    min_zoom: int,
) -> RenderedMap:
    """Render the public map: optional base map, parcel and building vector tiles, a
    layer control (map.js adds the zone and border overlays to it).

    `bbox` ([west, south, east, north]) is where the map opens (else the centre of
    Osh); `min_zoom` is the lowest zoom at which the tile layers ask for tiles.
    """
    fmap = leaflet_map(vendor.leaflet_js, vendor.leaflet_css, zoom_start=13)
    if bbox:
        fmap.fit_bounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]])
    if basemap:
        basemap.layer(basemap_name).add_to(fmap)

    # The style and id functions live in map.js: options given as a string are JavaScript.
    options = (
        '{"vectorTileLayerStyles": {"parcels": PublicMap.parcelStyle},'
        ' "interactive": true, "getFeatureId": PublicMap.featureId,'
        f' "minZoom": {int(min_zoom)}, "maxZoom": 22}}'
    )
    parcels = VectorGridProtobuf(tiles_url, name=layer_name, options=options)
    parcels.default_js = [("vectorGrid", vendor.vectorgrid_js)]
    parcels.add_to(fmap)
    # Not interactive: a click on a building goes through to the parcel it stands on.
    building_options = (
        '{"vectorTileLayerStyles": {"buildings": PublicMap.buildingStyle},'
        f' "interactive": false, "minZoom": {int(min_zoom)}, "maxZoom": 22}}'
    )
    buildings = VectorGridProtobuf(buildings_url, name=buildings_name, options=building_options)
    buildings.default_js = [("vectorGrid", vendor.vectorgrid_js)]
    buildings.add_to(fmap)
    # Collapsed: on a phone an open control would cover half the map.
    control = folium.LayerControl(collapsed=True)
    control.add_to(fmap)
    PublicMapSetup(parcels, buildings, control).add_to(fmap)

    return render_map(fmap)
