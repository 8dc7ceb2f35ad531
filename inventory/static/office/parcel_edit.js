// The parcel editor. Leaflet.draw edits the parcel's polygons (one Leaflet polygon per
// part: Leaflet.draw cannot edit a MultiPolygon layer, whose vertex handles would get
// nested arrays instead of points). The neighbouring parcels are drawn in grey while the
// officer works. "Save" first asks the server what the drawn shape would meet
// (config.check): a refusal is shown in the officer's language; overlapped neighbours
// are drawn in red and listed, and the officer confirms before the PATCH to the API.
// Every value from the database is put on the page as text, never as markup.
// The folium map calls OfficeParcelEditor.init.
var OfficeParcelEditor = (function () {
  var root = document.getElementById("parcel-editor");
  var config = JSON.parse(root.dataset.config);
  var statusEl = document.getElementById("shape-status");
  var warningsEl = document.getElementById("shape-warnings");
  var confirmEl = document.getElementById("shape-confirm");
  var noteEl = document.getElementById("shape-note");
  var map, group, neighbours, overlapped, pending = null, loadedBox = null;

  function text(key) {
    var el = document.querySelector("#shape-messages").content.querySelector("[data-key=" + key + "]");
    return el ? el.textContent : key;
  }
  function csrf() {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }
  function area(value) {
    // Square metres as the page's language writes numbers (1 375,5 in ky and ru), with
    // up to three decimals like the pages' own `number` filter.
    var lang = document.documentElement.lang || "en";
    if (lang === "ky" && !Intl.NumberFormat.supportedLocalesOf(["ky"]).length) {
      lang = "ru";  // Chromium has no Kyrgyz number data; Kyrgyz writes them as Russian does
    }
    return value === null || value === undefined || value === "" ? "—"
      : new Intl.NumberFormat(lang, {maximumFractionDigits: 3}).format(Number(value));
  }
  function named(e) {
    // Leaflet makes markers keyboard buttons: Leaflet.draw's vertex handles get a name;
    // the transparent marker that follows the pointer while drawing is no control.
    var el = e.layer instanceof L.Marker && e.layer.getElement();
    if (!el || el.hasAttribute("aria-label")) { return; }
    if (el.classList.contains("leaflet-mouse-marker")) {
      el.setAttribute("tabindex", "-1");
      el.removeAttribute("role");
      el.setAttribute("aria-hidden", "true");
    } else {
      el.setAttribute("aria-label", text("vertex"));
    }
  }
  function label(properties) {
    // A tooltip given a DOM node shows it as is: the code and address stay text.
    var span = document.createElement("span");
    span.textContent = properties.ident_code + (properties.address ? " — " + properties.address : "");
    return span;
  }
  function say(message, className) {
    statusEl.textContent = message;
    statusEl.className = className || "";
  }
  function clearWarnings() {
    while (warningsEl.firstChild) { warningsEl.removeChild(warningsEl.firstChild); }
    overlapped.clearLayers();
    confirmEl.hidden = true;
    pending = null;
  }
  function polygonsOf(geometry) {
    if (!geometry) { return []; }
    if (geometry.type === "Polygon") { return [geometry.coordinates]; }
    if (geometry.type === "MultiPolygon") { return geometry.coordinates; }
    return [];
  }
  function show(geometry) {
    group.clearLayers();
    polygonsOf(geometry).forEach(function (rings) {
      group.addLayer(L.polygon(L.GeoJSON.coordsToLatLngs(rings, 1), {color: "#0b6e4f"}));
    });
    if (group.getLayers().length) { map.fitBounds(group.getBounds(), {maxZoom: 19}); }
  }
  function geometry() {
    var polygons = [];
    group.eachLayer(function (layer) {
      polygons = polygons.concat(polygonsOf(layer.toGeoJSON().geometry));
    });
    if (!polygons.length) { return null; }
    return {type: "MultiPolygon", coordinates: polygons};
  }
  function loadNeighbours() {
    var b = map.getBounds().pad(0.2);
    var box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(6);
    }).join(",");
    if (box === loadedBox) { return; }
    if (b.getEast() - b.getWest() > config.max_box || b.getNorth() - b.getSouth() > config.max_box) {
      neighbours.clearLayers();
      loadedBox = null;
      root.dataset.neighbours = "zoom";
      return;
    }
    fetch(config.neighbours + "?bbox=" + box, {credentials: "same-origin",
                                               headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (found) {
        if (!found) { return; }
        loadedBox = box;
        neighbours.clearLayers();
        found.features.forEach(function (f) {
          L.geoJSON(f.geometry, {pane: "neighbours", interactive: true,
                                 style: {color: "#555", weight: 1, fillOpacity: 0.08}})
            .bindTooltip(label(f.properties), {sticky: true}).addTo(neighbours);
        });
        root.dataset.neighbours = String(found.features.length);
      });
  }
  function showOverlaps(answer) {
    answer.overlaps.forEach(function (f) {
      var li = document.createElement("li");
      li.className = "warning";
      li.textContent = f.properties.ident_code + " (" + area(f.overlap_m2) + " m²)";
      warningsEl.appendChild(li);
      L.geoJSON(f.geometry, {pane: "neighbours",
                             style: {color: "#d7191c", weight: 2, fillOpacity: 0.3}})
        .bindTooltip(label(f.properties), {sticky: true}).addTo(overlapped);
    });
  }
  function check() {
    var shape = geometry();
    clearWarnings();
    if (!shape) { say(text("nothing")); return; }
    root.setAttribute("aria-busy", "true");
    fetch(config.check, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf(),
                "Accept": "application/json"},
      body: JSON.stringify({geometry: shape})
    }).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, body: body}; });
    }).then(function (answer) {
      root.removeAttribute("aria-busy");
      if (!answer.ok) { say(text("failed") + " " + answer.body.message, "error"); return; }
      if (!answer.body.overlaps.length) { save(shape); return; }
      showOverlaps(answer.body);
      pending = shape;
      say(text("confirm").replace("{count}", answer.body.overlaps.length)
                         .replace("{area}", area(answer.body.overlap_m2)), "warning");
      confirmEl.hidden = false;
      document.getElementById("confirm-save").focus();
    }).catch(function () { say(text("failed"), "error"); });
  }
  function save(shape) {
    confirmEl.hidden = true;
    fetch(config.api, {
      method: "PATCH", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf(),
                "Accept": "application/json"},
      body: JSON.stringify({geometry: shape, version: config.version})
    }).then(function (r) {
      return r.json().then(function (body) { return {status: r.status, body: body}; });
    }).then(function (answer) {
      if (answer.status === 409) { say(text("conflict"), "error"); return; }
      if (answer.status >= 400) { say(text("failed") + " " + answer.body.message, "error"); return; }
      say(text("saved"), "saved");
      noteEl.textContent = "";
      config.version = answer.body.properties.version;
      document.getElementById("measured-area").textContent =
        area(answer.body.properties.measured_area);
      loadedBox = null;
      loadNeighbours();
    }).catch(function () { say(text("failed"), "error"); });
  }
  function changed() {
    // The shape on the map is no longer the one checked or saved.
    clearWarnings();
    say("");
    noteEl.textContent = text("unsaved");
  }
  function upload(event) {
    event.preventDefault();
    var form = document.getElementById("shape-upload");
    fetch(config.upload, {method: "POST", credentials: "same-origin",
                          headers: {"X-CSRFToken": csrf(), "Accept": "application/json"},
                          body: new FormData(form)})
      .then(function (r) { return r.json().then(function (b) { return {ok: r.ok, body: b}; }); })
      .then(function (answer) {
        if (!answer.ok) { say(text("failed") + " " + answer.body.message, "error"); return; }
        show(answer.body.geometry);
        changed();
      });
  }
  return {
    init: function (leafletMap, featureGroup) {
      map = leafletMap;
      group = featureGroup;
      map.createPane("neighbours").style.zIndex = 350;  // under the polygon being edited
      map.on("layeradd", named);
      neighbours = L.featureGroup().addTo(map);
      overlapped = L.featureGroup().addTo(map);
      show(config.geometry);
      // A new drawing replaces the polygon: a parcel has one shape.
      map.on(L.Draw.Event.CREATED, function (e) {
        group.eachLayer(function (layer) { if (layer !== e.layer) { group.removeLayer(layer); } });
        changed();
      });
      map.on(L.Draw.Event.EDITED + " " + L.Draw.Event.DELETED, changed);
      map.on("moveend", loadNeighbours);
      loadNeighbours();
      document.getElementById("save-shape").addEventListener("click", check);
      document.getElementById("confirm-save").addEventListener("click", function () {
        if (pending) { save(pending); }
      });
      document.getElementById("cancel-save").addEventListener("click", function () {
        clearWarnings();
        say("");
      });
      document.getElementById("shape-upload").addEventListener("submit", upload);
      window.officeEditor = {map: map, group: group, neighbours: neighbours};
    }
  };
})();
