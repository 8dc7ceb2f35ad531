/* The public map's behaviour: parcel styling and filters, popups that fetch a parcel's
 * card, search, the list of parcels in view (the keyboard's way to a card), the zone and
 * border overlays, picking a place to report, and the place kept in the URL.
 *
 * Loaded before folium's script, which calls PublicMap.init(map, parcels, buildings,
 * layerControl). Every text that comes from the server is put into the page with
 * textContent, never as HTML, so an address like "<script>" is shown as text.
 *
 * The URL's hash holds the view, e.g. #map=16/40.53000/72.80000&m=osh&use=trade
 * &status=free,leased&parcel=12 (status only when not all are shown), so a link, a reload
 * or a language switch opens the same place with the same filters and parcel.
 */
(function () {
  "use strict";

  var config = null;
  //: What the map shows: municipality slug and use code ("" = all), statuses (null = all).
  var filters = {m: "", use: "", status: null};
  var selected = null;  // the id of the parcel whose popup is open

  function settings() {
    if (!config) {
      config = JSON.parse(document.getElementById("public-map-config").textContent);
    }
    return config;
  }

  function withLanguage(url) {
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "lang=" + encodeURIComponent(settings().language);
  }

  function parcelUrl(template, id) {
    return template.replace(settings().idPlaceholder, String(parseInt(id, 10)));
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function shown(properties) {
    return (!filters.m || properties.municipality === filters.m) &&
      (!filters.use || properties.use === filters.use) &&
      (!filters.status || filters.status.indexOf(properties.status) >= 0);
  }

  function parcelStyle(properties) {
    if (!shown(properties)) { return []; }  // VectorGrid draws nothing for an empty list
    var colour = settings().colours[properties.status] || "#777777";
    return {fill: true, fillColor: colour, fillOpacity: 0.45, color: colour, weight: 1, opacity: 0.9};
  }

  function buildingStyle() {
    return {fill: true, fillColor: settings().buildingColour, fillOpacity: 0.15,
            color: settings().buildingColour, weight: 1.5, opacity: 0.9};
  }

  function featureId(feature) {
    return feature.properties.id;
  }

  // A number as the page's language writes it, with the signs the server sends
  // (Chromium has no Kyrgyz number format and would write it the English way).
  function localNumber(text) {
    var value = Number(text);
    if (text === null || text === undefined || text === "" || isNaN(value)) { return text; }
    var signs = settings().numberSigns || {group: ",", decimal: "."};
    var parts = String(Math.round(Math.abs(value) * 100) / 100).split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, signs.group);
    return (value < 0 ? "-" : "") + whole + (parts[1] ? signs.decimal + parts[1] : "");
  }

  function localDate(isoDate) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate || "");
    if (!parts) { return isoDate; }
    // Kyrgyz and Russian registers write a day 09.01.2030 (Chromium has no Kyrgyz format).
    if (settings().language !== "en") { return parts[3] + "." + parts[2] + "." + parts[1]; }
    var date = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    try { return date.toLocaleDateString(settings().language, {timeZone: "UTC"}); }
    catch (error) { return isoDate; }
  }

  function card(parcel) {
    var texts = settings().texts;
    var box = element("div", "parcel-popup");
    box.appendChild(element("strong", null, parcel.ident_code));
    var list = element("dl");
    function row(label, value) {
      if (value === null || value === undefined || value === "") { return; }
      list.appendChild(element("dt", null, label));
      list.appendChild(element("dd", null, value));
    }
    row(texts.status, parcel.status_label);
    row(texts.address, parcel.address);
    row(texts.designatedUse, parcel.designated_use_name);
    if (parcel.zone) {
      row(texts.zone, parcel.zone.code + " " + parcel.zone.name + ", Kz = " + parcel.shown.kz +
          (parcel.zone.is_demo ? " (" + texts.demoValue + ")" : ""));
    }
    if (parcel.contract) {
      row(texts.lessee, parcel.contract.lessee.name);
      row(texts.leasedUntil, parcel.shown.end_date);
      row(texts.annualRent, parcel.shown.annual_rent);
    }
    box.appendChild(list);
    var link = element("a", null, texts.openCard);
    link.href = withLanguage(parcelUrl(settings().parcelPage, parcel.id));
    box.appendChild(link);
    var report = element("a", "report-link", texts.report);
    report.href = withLanguage(settings().report + "?parcel=" + parseInt(parcel.id, 10));
    box.appendChild(element("br"));
    box.appendChild(report);
    return box;
  }

  // The popup is kept clear of the search panel floating over the map (on a phone the
  // panel spans the top): Leaflet pans the map so the card opens below it.
  // On a wide screen the card opens mid-map, beside the panel: Leaflet's own margin.
  function panelClearance(map) {
    var panel = document.querySelector(".map-panel");
    if (!panel || !narrow(map)) { return [5, 5]; }
    var top = map.getContainer().getBoundingClientRect().top;
    return [CONTROL_CLEARANCE, Math.max(5, panel.getBoundingClientRect().bottom - top + 10)];
  }

  // On a phone the card is no wider than the room between the zoom buttons (left) and
  // the layers button (right), and is panned into that room, so neither covers its text.
  var CONTROL_CLEARANCE = 56;
  function narrow(map) { return map.getContainer().clientWidth < 640; }
  var CARD_FRAME = 50;  // the popup's own padding and border around its content
  function cardWidth(map) {
    var room = map.getContainer().clientWidth - 2 * CONTROL_CLEARANCE - CARD_FRAME;
    return narrow(map) ? Math.max(180, room) : 320;
  }

  // `returnTo`: where the keyboard goes back when the card closes (the chosen result), or
  // a function finding it then (a list redrawn meanwhile holds a new button); given, the
  // card takes the focus once it has loaded. `keepView`: the card opens
  // without moving the map (a view restored from a link or a language switch is the
  // one the reader saw, card included; a pan would drift it on every switch).
  function openParcel(map, id, latlng, returnTo, keepView) {
    selected = parseInt(id, 10);
    var panel = document.querySelector(".map-panel");
    if (panel) { panel.classList.add("card-open"); }
    var popup = L.popup({
      maxWidth: cardWidth(map), autoPan: !keepView, autoPanPaddingTopLeft: panelClearance(map),
      autoPanPaddingBottomRight: narrow(map) ? [CONTROL_CLEARANCE, 5] : [5, 5]
    })
      .setLatLng(latlng)
      .setContent(element("p", null, settings().texts.loading)).openOn(map);
    popup.on("remove", function () {
      if (selected === parseInt(id, 10)) { selected = null; saveState(map); }
      if (panel && selected === null) { panel.classList.remove("card-open"); }
      var target = typeof returnTo === "function" ? returnTo() : returnTo;
      if (target && document.body.contains(target)) { target.focus(); }
    });
    saveState(map);
    fetch(withLanguage(parcelUrl(settings().parcelJson, id)), {headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (parcel) {
        var content = card(parcel);
        content.setAttribute("tabindex", "-1");
        content.setAttribute("role", "dialog");
        content.setAttribute("aria-label", parcel.ident_code || "");
        popup.setContent(content);
        if (returnTo) { content.focus(); }
      })
      .catch(function () { popup.setContent(element("p", "error", settings().texts.failed)); });
  }

  function bboxBounds(bbox) {
    return L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]);
  }

  // A parcel of a list as a button: its code, then a line of `details` (text only).
  function parcelButton(className, hit, details) {
    var button = element("button", className);
    button.type = "button";
    button.setAttribute("data-parcel", String(parseInt(hit.id, 10)));
    button.appendChild(element("strong", null, hit.ident_code));
    button.appendChild(element("span", null, details.filter(Boolean).join(" · ")));
    return button;
  }

  function showResults(map, list, body) {
    var results = body.results;
    list.textContent = "";
    list.hidden = false;
    if (!results.length) {
      list.appendChild(element("li", "empty", settings().texts.noResults));
      return;
    }
    results.forEach(function (hit) {
      var item = element("li");
      var button = parcelButton("map-result", hit, [hit.address, hit.lessee && hit.lessee.name]);
      button.addEventListener("click", function () {
        if (!hit.bbox) { return; }
        var bounds = bboxBounds(hit.bbox);
        // The list folds away so it cannot cover the card; typing opens it again. The
        // card opens once the map has moved, so its own pan into view (below the panel
        // on a phone) is the last move and is never cut short by the zoom.
        list.hidden = true;
        map.once("moveend", function () {
          openParcel(map, hit.id, bounds.getCenter(), document.getElementById("map-search-q"));
        });
        map.fitBounds(bounds, {maxZoom: 18});
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    // Not every match fits: say how many there are, above the list where a phone shows
    // it, so a resident narrows the search instead of taking the list for all there is.
    if (body.more) { list.insertBefore(element("li", "more", body.more), list.firstChild); }
  }

  function wireSearch(map) {
    var form = document.querySelector(".map-search");
    var input = document.getElementById("map-search-q");
    var list = document.querySelector(".map-results");
    var timer = null;
    var latest = 0;
    function run() {
      var query = input.value.trim();
      if (query.length < 2) { list.textContent = ""; return; }
      var ticket = ++latest;  // answers may arrive out of order: keep the newest only
      fetch(withLanguage(settings().search + "?q=" + encodeURIComponent(query)),
            {headers: {Accept: "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (body) { if (ticket === latest) { showResults(map, list, body); } })
        .catch(function () {
          list.textContent = "";
          list.appendChild(element("li", "error", settings().texts.failed));
        });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 350);
    });
    input.addEventListener("focus", function () { if (list.children.length) { list.hidden = false; } });
    // Esc closes the parcel's card from anywhere on the page, as its × button does.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && selected !== null) { map.closePopup(); }
    });
  }

  /* ---- parcels in view: the keyboard's way to a parcel ------------------------------ */

  // Tiles' shapes cannot take the focus, so the panel lists the visible parcels nearest
  // the map's centre (as the filters show them) as buttons: Enter or Space opens the same
  // card a click does, with the focus in it; Esc closes it and the focus comes back to the
  // parcel's button. Loaded while the list is open, again after every move of the map.
  function wireInView(map) {
    var box = document.querySelector(".map-in-view");
    var list = box.querySelector(".map-in-view-list");
    var status = box.querySelector(".map-in-view-status");
    var latest = 0;
    function buttonOf(id) {
      return list.querySelector('[data-parcel="' + parseInt(id, 10) + '"]') || box.querySelector("summary");
    }
    function show(body) {
      var focused = list.contains(document.activeElement) ?
        document.activeElement.getAttribute("data-parcel") : null;
      list.textContent = "";
      body.results.forEach(function (hit) {
        var button = parcelButton("map-in-view-parcel", hit,
          [hit.address, hit.status_label, hit.lessee && hit.lessee.name]);
        button.addEventListener("click", function () {
          var centre = hit.bbox ? bboxBounds(hit.bbox).getCenter() : map.getCenter();
          openParcel(map, hit.id, centre, function () { return buttonOf(hit.id); });
        });
        var item = element("li");
        item.appendChild(button);
        list.appendChild(item);
      });
      status.textContent = !body.results.length ? settings().texts.inViewNone :
        (body.more ? settings().texts.inViewMore : "");
      if (focused) { buttonOf(focused).focus(); }
    }
    function load() {
      if (!box.open) { return; }
      var ticket = ++latest;  // a slow answer for an older view must not overwrite a newer
      if (map.getZoom() < settings().minZoom) {
        list.textContent = "";
        status.textContent = settings().texts.inViewZoom;
        return;
      }
      if (filters.status && !filters.status.length) { show({results: [], more: false}); return; }
      var b = map.getBounds();
      var bbox = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -90),
                  Math.min(b.getEast(), 180), Math.min(b.getNorth(), 90)].map(function (v) { return v.toFixed(6); });
      var query = "?bbox=" + bbox.join(",") + filterQuery();
      fetch(withLanguage(settings().inView + query), {headers: {Accept: "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (body) { if (ticket === latest) { show(body); } })
        .catch(function () {
          if (ticket === latest) { list.textContent = ""; status.textContent = settings().texts.failed; }
        });
    }
    box.addEventListener("toggle", load);
    map.on("moveend", load);
    return load;
  }

  // With the map itself focused (a cross marks its centre, map.css), Enter opens the card
  // of the parcel under the cross; Esc brings the focus back to the map.
  function wireCentre(map) {
    var container = map.getContainer();
    var status = document.querySelector(".map-centre-status");
    container.setAttribute("aria-describedby", "map-keys");
    container.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target !== container) { return; }
      event.preventDefault();
      status.textContent = "";
      if (map.getZoom() < settings().minZoom) { status.textContent = settings().texts.inViewZoom; return; }
      if (filters.status && !filters.status.length) {  // every status unticked: none is drawn
        status.textContent = settings().texts.noParcelAtCentre;
        return;
      }
      var centre = map.getSize().divideBy(2);
      var corner1 = map.containerPointToLatLng(centre.subtract([3, 3]));
      var corner2 = map.containerPointToLatLng(centre.add([3, 3]));
      var query = "?bbox=" + [Math.min(corner1.lng, corner2.lng), Math.min(corner1.lat, corner2.lat),
                              Math.max(corner1.lng, corner2.lng), Math.max(corner1.lat, corner2.lat)]
        .map(function (v) { return v.toFixed(7); }).join(",") + filterQuery();
      fetch(withLanguage(settings().inView + query), {headers: {Accept: "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (body) {
          if (!body.results.length) { status.textContent = settings().texts.noParcelAtCentre; return; }
          openParcel(map, body.results[0].id, map.getCenter(), container);
        })
        .catch(function () { status.textContent = settings().texts.failed; });
    });
  }

  // The map's filters as the query of /parcels/in-view.json ("" when all is shown).
  function filterQuery() {
    var query = "";
    if (filters.m) { query += "&m=" + encodeURIComponent(filters.m); }
    if (filters.use) { query += "&use=" + encodeURIComponent(filters.use); }
    if (filters.status) { query += "&status=" + filters.status.map(encodeURIComponent).join(","); }
    return query;
  }

  function wirePlaces(map) {
    document.querySelectorAll(".map-places [data-place]").forEach(function (link) {
      var bbox = settings().places[link.getAttribute("data-place")];
      if (!bbox) { return; }
      link.addEventListener("click", function (event) {
        event.preventDefault();
        map.fitBounds(bboxBounds(bbox));
      });
    });
  }

  /* ---- the place in the URL ------------------------------------------------------ */

  function readState() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var view = /^(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(params.get("map") || "");
    return {
      view: view ? {zoom: +view[1], lat: +view[2], lon: +view[3]} : null,
      m: params.get("m") || "",
      use: params.get("use") || "",
      status: params.has("status") ? params.get("status").split(",").filter(Boolean) : null,
      parcel: /^\d+$/.test(params.get("parcel") || "") ? parseInt(params.get("parcel"), 10) : null
    };
  }

  function stateHash(map) {
    var centre = map.getCenter();
    var parts = ["map=" + map.getZoom() + "/" + centre.lat.toFixed(5) + "/" + centre.lng.toFixed(5)];
    if (filters.m) { parts.push("m=" + encodeURIComponent(filters.m)); }
    if (filters.use) { parts.push("use=" + encodeURIComponent(filters.use)); }
    if (filters.status) { parts.push("status=" + filters.status.map(encodeURIComponent).join(",")); }
    if (selected) { parts.push("parcel=" + selected); }
    return "#" + parts.join("&");
  }

  function saveState(map) {
    var hash = stateHash(map);
    // replaceState: moving the map must not fill the Back button's history.
    history.replaceState(null, "", window.location.pathname + window.location.search + hash);
    // The language links reload this page in another language: they carry the hash along.
    document.querySelectorAll(".languages a[href]").forEach(function (link) {
      link.href = link.href.split("#")[0] + hash;
    });
  }

  /* ---- filters ---------------------------------------------------------------------- */

  function showFilters(form) {
    form.elements.m.value = filters.m;
    form.elements.use.value = filters.use;
    form.querySelectorAll("input[name=status]").forEach(function (box) {
      box.checked = !filters.status || filters.status.indexOf(box.value) >= 0;
    });
  }

  function wireFilters(map, parcels, onChange) {
    var form = document.querySelector(".map-filter-form");
    showFilters(form);
    form.addEventListener("change", function (event) {
      filters.m = form.elements.m.value;
      filters.use = form.elements.use.value;
      var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=status]"));
      var checked = boxes.filter(function (box) { return box.checked; })
        .map(function (box) { return box.value; });
      filters.status = checked.length === boxes.length ? null : checked;
      parcels.redraw();  // re-runs parcelStyle on every tile (tiles come from the cache)
      var bbox = settings().places[filters.m];
      if (event.target === form.elements.m && bbox) { map.fitBounds(bboxBounds(bbox)); }
      saveState(map);
      onChange();
    });
  }

  /* ---- overlays: zones (by view) and borders (once) ----------------------------------- */

  function fetchJson(url) {
    return fetch(url, {headers: {Accept: "application/geo+json"}}).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    });
  }

  function zoneLabel(properties) {
    var texts = settings().texts;
    return texts.zone + " " + properties.code + " " + properties.name + ", Kz = " +
      localNumber(String(properties.kz)) + (properties.is_demo ? " (" + texts.demoValue + ")" : "");
  }

  function wireOverlays(map, control) {
    var zones = L.geoJSON(null, {
      style: {color: "#b35806", weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.05},
      interactive: false,
      onEachFeature: function (feature, layer) {
        // As text: a zone's code and name are data, never markup.
        layer.bindTooltip(element("span", null, zoneLabel(feature.properties)), {sticky: true});
      }
    });
    var borders = L.geoJSON(null, {style: {color: "#222", weight: 2, dashArray: "2 6", fill: false},
                                   interactive: false});
    function loadZones() {
      if (!map.hasLayer(zones)) { return; }
      var b = map.getBounds();
      var bbox = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -90),
                  Math.min(b.getEast(), 180), Math.min(b.getNorth(), 90)].map(function (v) { return v.toFixed(5); });
      fetchJson(settings().zones + "?bbox=" + bbox.join(","))
        .then(function (data) { zones.clearLayers(); zones.addData(data); })
        .catch(function () { /* an overlay that fails to load leaves the map usable */ });
    }
    fetchJson(withLanguage(settings().boundaries))
      .then(function (data) { borders.addData(data); })
      .catch(function () {});
    map.on("moveend", loadZones);
    zones.on("add", loadZones);
    borders.addTo(map);
    control.addOverlay(zones, settings().texts.zones);
    control.addOverlay(borders, settings().texts.boundaries);
  }

  /* ---- auction lots: a marker on each plot announced for an e-auction ----------------- */

  function lotPopup(properties) {
    var texts = settings().texts;
    var box = element("div", "lot-popup");
    box.appendChild(element("strong", null, texts.lot + " " + properties.number));
    box.appendChild(element("div", null, properties.code + (properties.address ? ", " + properties.address : "")));
    box.appendChild(element("div", null, texts.auctionDate + ": " + localDate(properties.auction_date)));
    box.appendChild(element("div", null, texts.startingRent + ": " + localNumber(properties.starting_rent)));
    var link = element("a", null, texts.seeAuctions);
    link.href = withLanguage(settings().auctions) + "#lot-" + parseInt(properties.id, 10);
    box.appendChild(link);
    return box;
  }

  function wireLots(map, control) {
    var lots = L.geoJSON(null, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 9, color: "#6a1b9a", weight: 3, fillColor: "#ffeb3b",
                                       fillOpacity: 0.9, className: "lot-marker"});
      },
      onEachFeature: function (feature, layer) { layer.bindPopup(lotPopup(feature.properties)); }
    });
    fetchJson(withLanguage(settings().lots))
      .then(function (data) { lots.addData(data); })
      .catch(function () { /* the map stays usable without the markers */ });
    lots.addTo(map);
    control.addOverlay(lots, settings().texts.lots);
    window.publicMapLots = lots;  // for tests and people debugging in the console
  }

  /* ---- picking a place to report ------------------------------------------------------ */

  function wirePicking(map) {
    var button = document.querySelector(".map-pick");
    var hint = document.querySelector(".map-pick-hint");
    var picking = false;
    function setPicking(on) {
      picking = on;
      hint.hidden = !on;
      map.getContainer().classList.toggle("picking", on);
    }
    function go(query) {
      setPicking(false);
      window.location.href = withLanguage(settings().report + "?" + query);
    }
    button.addEventListener("click", function () { setPicking(!picking); });
    map.on("click", function (event) {
      if (!picking) { return; }
      // A parcel's click, fired by the same gesture, picks the parcel instead: let it run.
      setTimeout(function () {
        if (picking) { go("lon=" + event.latlng.lng.toFixed(6) + "&lat=" + event.latlng.lat.toFixed(6)); }
      }, 0);
    });
    return {
      active: function () { return picking; },
      pickParcel: function (id) { go("parcel=" + parseInt(id, 10)); }
    };
  }

  function restore(map, state) {
    filters.m = state.m;
    filters.use = state.use;
    filters.status = state.status;
    if (state.view) { map.setView([state.view.lat, state.view.lon], state.view.zoom); }
    if (state.parcel) {
      fetch(withLanguage(parcelUrl(settings().parcelJson, state.parcel)), {headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (parcel) {
          if (!parcel || !parcel.bbox) { return; }
          var bounds = bboxBounds(parcel.bbox);
          if (!state.view) { map.fitBounds(bounds, {maxZoom: 18}); }
          openParcel(map, parcel.id, bounds.getCenter(), null, Boolean(state.view));
        })
        .catch(function () {});
    }
  }

  function wireHint(map) {
    var hint = document.querySelector(".map-hint");
    function update() { hint.hidden = map.getZoom() >= settings().minZoom; }
    map.on("zoomend", update);
    update();
  }

  function init(map, parcels, buildings, control) {
    restore(map, readState());  // before the first tiles are styled
    var picker = wirePicking(map);
    parcels.on("click", function (event) {
      if (picker.active()) { picker.pickParcel(event.layer.properties.id); return; }
      var latlng = event.latlng || map.mouseEventToLatLng(event.originalEvent);
      openParcel(map, event.layer.properties.id, latlng);
    });
    wireSearch(map);
    wirePlaces(map);
    wireCentre(map);
    wireFilters(map, parcels, wireInView(map));
    wireOverlays(map, control);
    wireLots(map, control);
    wireHint(map);
    // The legend starts open where there is room for it; on a phone it is a tap away.
    document.querySelector(".map-legend").open = window.matchMedia("(min-width: 40rem)").matches;
    map.on("moveend", function () { saveState(map); });
    saveState(map);
    window.publicMap = map;  // a handle for people debugging in the console, and for tests
    window.publicMapLayers = {parcels: parcels, buildings: buildings};
  }

  window.PublicMap = {init: init, parcelStyle: parcelStyle, buildingStyle: buildingStyle,
                      featureId: featureId};
}());
