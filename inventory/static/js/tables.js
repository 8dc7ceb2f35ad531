/* A table wider than the page scrolls inside its own box (app.css); such a box is
   made reachable by the keyboard and named, so it can be scrolled without a mouse. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
        if (!table.hasAttribute("aria-label") && !table.querySelector("caption")) {
          var heading = document.querySelector("main h1");
          if (heading) { table.setAttribute("aria-label", heading.textContent.trim()); }
        }
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
}());
