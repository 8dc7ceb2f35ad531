// The parcel editor: Leaflet.draw edits one polygon; saving PATCHes the JSON API with the
// version loaded and the CSRF token, and shows the API's answer (errors, overlaps drawn
// in red, the measured area). The folium map calls OfficeParcelEditor.init.
var OfficeParcelEditor = (function () {
  var root = document.getElementById("parcel-editor");
  var config = JSON.parse(root.dataset.config);
  var statusEl = document.getElementById("shape-status");
  var warningsEl = document.getElementById("shape-warnings");
  var map, group, neighbours;

  function text(key) {
    var el = document.querySelector("#shape-messages").content.querySelector("[data-key=" + key + "]");
    return el ? el.textContent : key;
  }
  function csrf() {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }
  function show(geometry) {
    group.clearLayers();
    if (!geometry) { return; }
    L.geoJSON(geometry).eachLayer(function (layer) {
      // Leaflet.draw edits plain polygons: unwrap what L.geoJSON made.
      group.addLayer(L.polygon(layer.getLatLngs(), {color: "#0b6e4f"}));
    });
    if (group.getLayers().length) { map.fitBounds(group.getBounds(), {maxZoom: 19}); }
  }
  function geometry() {
    var polygons = [];
    group.eachLayer(function (layer) {
      var g = layer.toGeoJSON().geometry;
      if (g.type === "Polygon") { polygons.push(g.coordinates); }
      if (g.type === "MultiPolygon") { polygons = polygons.concat(g.coordinates); }
    });
    if (!polygons.length) { return null; }
    return {type: "MultiPolygon", coordinates: polygons};
  }
  function drawNeighbours(ids) {
    neighbours.clearLayers();
    ids.forEach(function (id) {
      fetch(config.neighbour.replace(/0$/, String(id)), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (f) {
          if (f && f.geometry) {
            L.geoJSON(f.geometry, {style: {color: "#d7191c", weight: 2, fillOpacity: 0.2}})
              .bindTooltip(f.properties.ident_code).addTo(neighbours);
          }
        });
    });
  }
  function save() {
    var shape = geometry();
    warningsEl.innerHTML = "";
    if (!shape) { statusEl.textContent = text("nothing"); return; }
    fetch(config.api, {
      method: "PATCH", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf(),
                "Accept": "application/json"},
      body: JSON.stringify({geometry: shape, version: config.version})
    }).then(function (r) {
      return r.json().then(function (body) { return {status: r.status, body: body}; });
    }).then(function (answer) {
      if (answer.status === 409) { statusEl.textContent = text("conflict"); return; }
      if (answer.status >= 400) {
        statusEl.textContent = text("failed") + " " + answer.body.message;
        statusEl.className = "error"; return;
      }
      statusEl.className = "saved";
      statusEl.textContent = text("saved");
      config.version = answer.body.properties.version;
      document.getElementById("measured-area").textContent =
        answer.body.properties.measured_area;
      (answer.body.warnings || []).forEach(function (w) {
        var li = document.createElement("li");
        li.className = "warning";
        li.textContent = text("overlap") + " " + w.overlaps.map(function (o) {
          return o.ident_code + " (" + o.overlap_m2 + " m²)";
        }).join(", ");
        warningsEl.appendChild(li);
        drawNeighbours(w.parcel_ids || []);
      });
    });
  }
  function upload(event) {
    event.preventDefault();
    var form = document.getElementById("shape-upload");
    fetch(config.upload, {method: "POST", credentials: "same-origin",
                          headers: {"X-CSRFToken": csrf(), "Accept": "application/json"},
                          body: new FormData(form)})
      .then(function (r) { return r.json().then(function (b) { return {ok: r.ok, body: b}; }); })
      .then(function (answer) {
        if (!answer.ok) { statusEl.textContent = text("failed") + " " + answer.body.message; return; }
        show(answer.body.geometry);
      });
  }
  return {
    init: function (leafletMap, featureGroup) {
      map = leafletMap;
      group = featureGroup;
      neighbours = L.featureGroup().addTo(map);
      show(config.geometry);
      // A new drawing replaces the polygon: a parcel has one shape.
      map.on(L.Draw.Event.CREATED, function (e) {
        group.eachLayer(function (layer) { if (layer !== e.layer) { group.removeLayer(layer); } });
      });
      document.getElementById("save-shape").addEventListener("click", save);
      document.getElementById("shape-upload").addEventListener("submit", upload);
      window.officeEditor = {map: map, group: group};
    }
  };
})();
