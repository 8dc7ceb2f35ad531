/* Leaflet.draw's toolbar and tooltip texts in the page's language: the words come from
   the server in this tag's data-texts (inventory.web.maps.draw_texts_tag), laid out as
   L.drawLocal is; it runs right after leaflet.draw.js, before the drawing control is
   made. Texts only: the one entry holding markup (the crossing-edges error) is built
   from two plain texts here. */
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!tag || !window.L || !L.drawLocal) { return; }
  var texts = JSON.parse(tag.getAttribute("data-texts") || "{}");
  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      if (typeof source[key] === "object" && target[key]) {
        merge(target[key], source[key]);
      } else if (typeof source[key] === "string") {
        target[key] = source[key];
      }
    });
  }
  merge(L.drawLocal, texts.local || {});
  if (texts.crossing) {
    var strong = document.createElement("strong");
    strong.textContent = texts.crossing.label + ":";
    var rest = document.createElement("span");
    rest.textContent = " " + texts.crossing.text;
    L.drawLocal.draw.handlers.polyline.error = strong.outerHTML + rest.outerHTML;
  }
}());
