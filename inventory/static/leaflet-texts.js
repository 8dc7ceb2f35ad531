/* Leaflet's own control texts in the page's language, before any map is made: the
   translated words come from the server in this tag's data-texts (inventory.web.maps). */
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!tag || !window.L) { return; }
  var texts = JSON.parse(tag.getAttribute("data-texts") || "{}");
  var zoom = L.Control.Zoom.prototype.options;
  zoom.zoomInTitle = texts.zoomIn || zoom.zoomInTitle;
  zoom.zoomOutTitle = texts.zoomOut || zoom.zoomOutTitle;
  if (L.Control.Attribution && texts.leaflet) {
    var link = document.createElement("a");
    link.href = "https://leafletjs.com";
    link.title = texts.leaflet;
    link.textContent = "Leaflet";
    L.Control.Attribution.prototype.options.prefix = link.outerHTML;
  }
  if (L.Control.Scale) {
    L.Control.Scale.prototype.options.imperial = false;  /* metres, never feet and miles */
  }
  if (L.Control.Layers && texts.layers) {
    var layout = L.Control.Layers.prototype._initLayout;
    L.Control.Layers.prototype._initLayout = function () {
      layout.call(this);
      if (this._layersLink) {
        this._layersLink.title = texts.layers;
        this._layersLink.setAttribute("aria-label", texts.layers);
      }
    };
  }
  window.inventoryMapTexts = texts;  /* for plugins loaded later (Leaflet.draw) */
}());
