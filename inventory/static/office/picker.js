// Record pickers of the office forms. Every <input class="record-picker"> (a field that
// holds another record's id: a contract's lessee, an inspection's parcel...) becomes a
// search box: typing a few letters of a name, ИНН, code or address lists the matching
// records (data-lookup answers {"items": [{"id", "label"}]}), and picking one keeps its
// id in the original input, now hidden. Parcels can also be picked by clicking them on a
// small map (data-map). Without JavaScript the plain input stays and takes the id.
// An input with data-keep="code" (a contract's leased objects, named by code) stays the
// field itself: picking writes the record's code into it.
// Labels are data: they are always set as text, never as markup.
(function () {
  var messages = document.getElementById("picker-messages");
  function text(key) {
    var el = messages && messages.content.querySelector("[data-key=" + key + "]");
    return el ? el.textContent : key;
  }
  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }
  function municipalityOf(input) {
    if (input.dataset.municipality) { return input.dataset.municipality; }
    var select = input.form && input.form.querySelector("select[name=municipality]");
    return select ? select.value : "";
  }
  function withParams(url, params) {
    var query = Object.keys(params).filter(function (k) { return params[k]; }).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    }).join("&");
    return url + (query ? (url.indexOf("?") < 0 ? "?" : "&") + query : "");
  }
  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; });
  }

  function enhance(input, index) {
    var byCode = input.dataset.keep === "code";
    var search = byCode ? input : element("input", "picker-search");
    var list = element("ul", "picker-list");
    var note = document.getElementById(input.id + "-picked");
    var active = -1, items = [], timer = null, asked = 0;
    if (!byCode) {
      search.type = "search";
      search.id = input.id;             // the field's <label for> now names the search box
      input.id = input.id + "-value";
      search.placeholder = text("placeholder");
      search.value = input.dataset.label || input.value;
    }
    search.autocomplete = "off";
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-autocomplete", "list");
    search.setAttribute("aria-expanded", "false");
    list.id = "picker-list-" + index;
    list.hidden = true;
    list.setAttribute("role", "listbox");
    search.setAttribute("aria-controls", list.id);
    if (note) { search.setAttribute("aria-describedby", note.id); }
    if (byCode) {
      input.parentNode.insertBefore(list, input.nextSibling);
    } else {
      input.type = "hidden";
      input.parentNode.insertBefore(search, input);
      input.parentNode.insertBefore(list, input);
    }

    function close() {
      list.hidden = true;
      active = -1;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
    }
    function pick(item) {
      if (byCode) {
        input.value = item.code;
        input.title = item.label;
        close();
        return;
      }
      input.value = String(item.id);
      search.value = item.label;
      if (note) { note.textContent = item.label; }
      close();
      input.dispatchEvent(new Event("change", {bubbles: true}));
    }
    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, n) { o.setAttribute("aria-selected", n === i ? "true" : "false"); });
      active = i;
      if (options[i]) { search.setAttribute("aria-activedescendant", options[i].id); }
    }
    function render(found) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      items = found;
      if (!found.length) {
        list.appendChild(element("li", "picker-none", text("none")));
      }
      found.forEach(function (item, n) {
        var li = element("li", "picker-option", item.label);
        li.id = list.id + "-" + n;
        li.setAttribute("role", "option");
        li.dataset.id = String(item.id);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(item); });
        list.appendChild(li);
      });
      list.hidden = false;
      search.setAttribute("aria-expanded", "true");
      highlight(found.length ? 0 : -1);
    }
    function ask() {
      var q = search.value.trim();
      if (!q) { close(); return; }
      var mine = ++asked;
      getJSON(withParams(input.dataset.lookup, {q: q.slice(0, 100), municipality: municipalityOf(input)}))
        .then(function (answer) {
          if (mine === asked && answer) { render(answer.items); }
        });
    }
    search.addEventListener("input", function () {
      // Until a record is picked, the typed text is what the form sends: a number is
      // taken as the record's id, anything else gets the form's "pick it" message.
      if (!byCode) { input.value = search.value.trim(); }
      if (note) { note.textContent = ""; }
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    search.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && items[active]) { e.preventDefault(); pick(items[active]); }
      else if (e.key === "Escape") { close(); }
    });
    search.addEventListener("blur", function () { setTimeout(close, 150); });
    if (input.dataset.map) { mapPicker(input, search, pick); }
  }

  function loadLeaflet(input, then) {
    if (window.L) { then(); return; }
    var css = element("link");
    css.rel = "stylesheet";
    css.href = input.dataset.leafletCss;
    document.head.appendChild(css);
    var script = element("script");
    script.src = input.dataset.leafletJs;
    script.addEventListener("load", function () { localise(); then(); });
    document.head.appendChild(script);
  }

  function localise() {
    // Leaflet, loaded here after the page, gets the page's words for its controls, as
    // inventory/static/leaflet-texts.js gives them where Leaflet comes with the page.
    var zoom = L.Control.Zoom.prototype.options;
    zoom.zoomInTitle = text("zoomIn");
    zoom.zoomOutTitle = text("zoomOut");
    var link = element("a", null, "Leaflet");
    link.href = "https://leafletjs.com";
    link.title = text("leaflet");
    L.Control.Attribution.prototype.options.prefix = link.outerHTML;
  }

  function mapPicker(input, search, pick) {
    var button = element("button", "picker-map-button", text("map"));
    var box = element("div", "picker-map");
    var hint = element("p", "picker-map-hint", text("mapHint"));
    var map = null, layer = null;
    button.type = "button";
    box.hidden = true;
    hint.hidden = true;
    input.parentNode.insertBefore(button, input);
    input.parentNode.insertBefore(hint, input);
    input.parentNode.insertBefore(box, input);

    function load() {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
        return v.toFixed(6);
      }).join(",");
      getJSON(withParams(input.dataset.map, {bbox: bbox, municipality: municipalityOf(input)}))
        .then(function (found) {
          layer.clearLayers();
          if (!found) { return; }
          found.features.forEach(function (f) {
            var name = f.properties.ident_code + (f.properties.address ? " — " + f.properties.address : "");
            L.geoJSON(f.geometry, {style: {color: "#0b6e4f", weight: 1, fillOpacity: 0.15}})
              .bindTooltip(element("span", null, name), {sticky: true})
              .on("click", function () {
                pick({id: f.properties.id, label: name});
                box.hidden = true;
                hint.hidden = true;
              })
              .addTo(layer);
          });
          box.dataset.parcels = String(found.features.length);
        });
    }
    function open() {
      box.hidden = !box.hidden;
      hint.hidden = box.hidden;
      if (box.hidden || map) { if (map) { map.invalidateSize(); } return; }
      loadLeaflet(input, function () {
        getJSON(withParams(input.dataset.map, {municipality: municipalityOf(input)}))
          .then(function (answer) {
            map = L.map(box).setView((answer && answer.centre) || [40.53, 72.80], 16);
            layer = L.featureGroup().addTo(map);
            map.on("moveend", load);
            load();
            window.officePickerMaps = (window.officePickerMaps || []).concat([map]);
          });
      });
    }
    button.addEventListener("click", open);
  }

  document.querySelectorAll("input.record-picker").forEach(enhance);
})();
