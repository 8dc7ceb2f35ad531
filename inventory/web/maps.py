"""What every folium map of the app shares: the base map, where a map opens, and the
vendored Leaflet in place of folium's CDN links.

The public map (webmap.mapbuild), the office's record maps (inventory.office.maps) and
the auditors' flag map (inventory.audit.flagmap) are built on these, so they read the
BASEMAP_URL setting alike, and so does the Content-Security-Policy
(inventory.web.security), which lets browsers fetch tiles from the base map's origin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import folium

from inventory.web.nonce import csp_nonce

#: Where a map opens when it has nothing to fit to: the centre of Osh.
FALLBACK_CENTRE = (40.53, 72.80)

#: The values of BASEMAP_URL that mean "no base map" (an environment cannot say "").
NO_BASEMAP = ("", "none", "off")


@dataclass(frozen=True)
class RenderedMap:
    """The pieces a page template places: into <head>, into <body>, and the script."""

    header: str
    html: str
    script: str


@dataclass(frozen=True)
class Basemap:
    """A base map's Leaflet tile template, the origin browsers fetch its tiles from (None
    when the template names no scheme://host of its own), and its plain-text credit."""

    url: str
    origin: str | None
    attribution: str

    def layer(self, name: str | None = None) -> folium.TileLayer:
        """The base map as a folium tile layer, named `name` in a layer control."""
        return folium.TileLayer(tiles=self.url, attr=self.attribution, name=name, max_zoom=19)


def basemap(setting: str | None) -> Basemap | None:
    """The base map the BASEMAP_URL setting names, or None for no base map ("", "none",
    "off", in any case, or unset)."""
    url = (setting or "").strip()
    if url.lower() in NO_BASEMAP:
        return None
    return Basemap(url=url, origin=_origin(url), attribution=_attribution(url))


def _origin(url: str) -> str | None:
    """The scheme://host of a tile template; placeholders in the host
    ("{s}.tile.example.org") become a wildcard."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc
    if "{" in host:
        host = "*." + host.split("}.", 1)[-1] if "}." in host else None
    return f"{parts.scheme}://{host}" if host else None


def _attribution(url: str) -> str:
    """Plain-text credit for a base map (a link would be an external URL in the page)."""
    host = urlsplit(url.replace("{s}", "a")).hostname or ""
    if "openstreetmap" in host:
        return "© OpenStreetMap contributors"
    return host or "base map"


#: An opening <script> tag not yet carrying a nonce.
_SCRIPT_TAG = re.compile(r"<script\b(?![^>]*\bnonce=)", re.IGNORECASE)


def with_nonce(html: str, nonce: str) -> str:
    """`html` with every <script> tag carrying `nonce`, so the Content-Security-Policy
    (which allows no 'unsafe-inline') runs it. Only for HTML the app itself wrote (folium's
    header and body); user values never reach it unescaped."""
    return _SCRIPT_TAG.sub(f'<script nonce="{nonce}"', html)


def texts_tag() -> str:
    """The <script> that puts Leaflet's control texts (zoom, layers, attribution) into the
    page's language and its scale into metres (inventory/static/leaflet-texts.js); it goes
    right after leaflet.js, before any map is made."""
    import json
    from html import escape

    from flask import url_for
    from flask_babel import gettext as _

    texts = {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "layers": _("Layers"),
        "leaflet": _("A JavaScript library for interactive maps"),
    }
    source = url_for("static", filename="leaflet-texts.js")
    data = escape(json.dumps(texts, ensure_ascii=False))
    return f'<script src="{source}" data-texts="{data}"></script>'


def draw_texts_tag() -> str:
    """The <script> that puts Leaflet.draw's toolbar and tooltips into the page's language
    (inventory/static/leaflet-draw-texts.js); it goes right after leaflet.draw.js."""
    import json
    from html import escape

    from flask import url_for
    from flask_babel import gettext as _

    def action(title: str, text: str) -> dict[str, str]:
        return {"title": title, "text": text}

    local = {
        "draw": {
            "toolbar": {
                "actions": action(_("Cancel drawing"), _("Cancel")),
                "finish": action(_("Finish drawing"), _("Finish")),
                "undo": action(_("Delete the last point drawn"), _("Delete the last point")),
                "buttons": {"polygon": _("Draw a polygon"), "rectangle": _("Draw a rectangle")},
            },
            "handlers": {
                "polygon": {
                    "tooltip": {
                        "start": _("Click to start drawing the shape."),
                        "cont": _("Click to continue drawing the shape."),
                        "end": _("Click the first point to close the shape."),
                    }
                },
                "rectangle": {"tooltip": {"start": _("Click and drag to draw a rectangle.")}},
                "simpleshape": {"tooltip": {"end": _("Release the mouse to finish drawing.")}},
            },
        },
        "edit": {
            "toolbar": {
                "actions": {
                    "save": action(_("Save the changes"), _("Save")),
                    "cancel": action(_("Cancel editing and discard the changes"), _("Cancel")),
                    "clearAll": action(_("Clear all shapes"), _("Clear all")),
                },
                "buttons": {
                    "edit": _("Edit the shape"),
                    "editDisabled": _("No shape to edit"),
                    "remove": _("Delete shapes"),
                    "removeDisabled": _("No shape to delete"),
                },
            },
            "handlers": {
                "edit": {
                    "tooltip": {
                        "text": _("Drag the handles to change the shape."),
                        "subtext": _("Click Cancel to undo the changes."),
                    }
                },
                "remove": {"tooltip": {"text": _("Click a shape to delete it.")}},
            },
        },
    }
    texts = {"local": local, "crossing": {"label": _("Error"), "text": _("edges cannot cross.")}}
    source = url_for("static", filename="leaflet-draw-texts.js")
    data = escape(json.dumps(texts, ensure_ascii=False))
    return f'<script src="{source}" data-texts="{data}"></script>'


def render_map(fmap: folium.Map) -> RenderedMap:
    """A folium map rendered for a page: its header and body with this request's script
    nonce on every <script> tag; the page writes `script` inside
    `<script nonce="{{ csp_nonce() }}">`."""
    figure = fmap.get_root()
    figure.render()
    nonce = csp_nonce()
    return RenderedMap(
        header=with_nonce(_after_leaflet(figure.header.render()), nonce),
        html=with_nonce(figure.html.render(), nonce),
        script=figure.script.render(),
    )


def _after_leaflet(header: str) -> str:
    """`header` with the texts tag right after the script that loads Leaflet, and the
    drawing texts right after Leaflet.draw's where the map has it."""
    found = re.search(r"<script[^>]*leaflet(?:\.min)?\.js[^>]*>\s*</script>", header)
    if found is None:
        header = header + texts_tag()
    else:
        header = header[: found.end()] + texts_tag() + header[found.end() :]
    drawing = re.search(r"<script[^>]*leaflet\.draw(?:\.min)?\.js[^>]*>\s*</script>", header)
    if drawing is not None:
        header = header[: drawing.end()] + draw_texts_tag() + header[drawing.end() :]
    return header


def leaflet_map(leaflet_js: str, leaflet_css: str, **options: Any) -> folium.Map:
    """A folium.Map with no tiles, opening at FALLBACK_CENTRE, whose Leaflet is the app's
    own copy (folium would link a CDN, and the maps must work with no internet)."""
    fmap = folium.Map(location=FALLBACK_CENTRE, tiles=None, control_scale=True, **options)
    fmap.default_js = [("leaflet", leaflet_js)]
    fmap.default_css = [("leaflet_css", leaflet_css)]
    return fmap
