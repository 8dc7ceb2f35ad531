/* The public map's behaviour: parcel styling, popups that fetch a parcel's card, search.
 *
 * Loaded before folium's script, which calls PublicMap.init(map, parcelLayer). Every text
 * that comes from the server is put into the page with textContent, never as HTML, so an
 * address like "<script>" is shown as text.
 */
(function () {
  "use strict";

  var config = null;

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

  function parcelStyle(properties) {
    var colour = settings().colours[properties.status] || "#777777";
    return {fill: true, fillColor: colour, fillOpacity: 0.45, color: colour, weight: 1, opacity: 0.9};
  }

  function featureId(feature) {
    return feature.properties.id;
  }

  function localNumber(text) {
    var value = Number(text);
    if (text === null || isNaN(value)) { return text; }
    try { return value.toLocaleString(settings().language, {maximumFractionDigits: 2}); }
    catch (error) { return text; }
  }

  function localDate(isoDate) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate || "");
    if (!parts) { return isoDate; }
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
    if (parcel.contract) {
      row(texts.lessee, parcel.contract.lessee.name);
      row(texts.leasedUntil, localDate(parcel.contract.end_date));
      row(texts.annualRent, localNumber(parcel.contract.annual_rent));
    }
    box.appendChild(list);
    var link = element("a", null, texts.openCard);
    link.href = withLanguage(parcelUrl(settings().parcelPage, parcel.id));
    box.appendChild(link);
    return box;
  }

  function openParcel(map, id, latlng) {
    var popup = L.popup({maxWidth: 320}).setLatLng(latlng)
      .setContent(element("p", null, settings().texts.loading)).openOn(map);
    fetch(withLanguage(parcelUrl(settings().parcelJson, id)), {headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (parcel) { popup.setContent(card(parcel)); })
      .catch(function () { popup.setContent(element("p", "error", settings().texts.failed)); });
  }

  function bboxBounds(bbox) {
    return L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]);
  }

  function showResults(map, list, results) {
    list.textContent = "";
    if (!results.length) {
      list.appendChild(element("li", "empty", settings().texts.noResults));
      return;
    }
    results.forEach(function (hit) {
      var item = element("li");
      var button = element("button", "map-result");
      button.type = "button";
      button.appendChild(element("strong", null, hit.ident_code));
      button.appendChild(element("span", null, [hit.address, hit.lessee && hit.lessee.name]
        .filter(Boolean).join(" · ")));
      button.addEventListener("click", function () {
        if (!hit.bbox) { return; }
        var bounds = bboxBounds(hit.bbox);
        map.fitBounds(bounds, {maxZoom: 18});
        openParcel(map, hit.id, bounds.getCenter());
      });
      item.appendChild(button);
      list.appendChild(item);
    });
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
        .then(function (body) { if (ticket === latest) { showResults(map, list, body.results); } })
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

  function wireHint(map) {
    var hint = document.querySelector(".map-hint");
    function update() { hint.hidden = map.getZoom() >= settings().minZoom; }
    map.on("zoomend", update);
    update();
  }

  function init(map, parcels) {
    parcels.on("click", function (event) {
      var latlng = event.latlng || map.mouseEventToLatLng(event.originalEvent);
      openParcel(map, event.layer.properties.id, latlng);
    });
    wireSearch(map);
    wirePlaces(map);
    wireHint(map);
    window.publicMap = map;  // a handle for people debugging in the console, and for tests
  }

  window.PublicMap = {init: init, parcelStyle: parcelStyle, featureId: featureId};
}());
