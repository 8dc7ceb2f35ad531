// While a dry run or an import of a long file runs, show how far it has got: the page
// asks /office/import/<token>/progress once a second, and gives up after a deadline.
(function () {
  "use strict";
  // The columns step and the values step both run dry runs and imports.
  var form = document.querySelector("form.import-mapping, form.import-values");
  var out = document.querySelector(".import-progress");
  if (!form || !out) return;
  var DEADLINE_MS = 15 * 60 * 1000;
  var stages = ["read", "checked", "written"];
  // Counts grouped as the page's language groups them (12 500 in Kyrgyz and Russian,
  // 12,500 in English), with the sign the server's locale data gives: browsers lack
  // Kyrgyz number formats.
  var group = out.dataset.group || "";
  function grouped(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  }

  function show(state) {
    var total = grouped(state.total || 0);
    var parts = [];
    stages.forEach(function (stage) {
      if (state.steps && stage in state.steps) {
        parts.push(out.dataset[stage] + ": " + grouped(state.steps[stage]) + " / " + total);
      }
    });
    out.textContent = parts.length ? parts.join(" · ") : out.dataset.waiting;
  }

  form.addEventListener("submit", function (event) {
    var action = event.submitter && event.submitter.value;
    if (action !== "dry_run" && action !== "commit") return;
    var started = Date.now();
    out.hidden = false;
    out.textContent = out.dataset.waiting;
    (function poll() {
      if (Date.now() - started > DEADLINE_MS) return;
      fetch(out.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (state) { if (state && state.at * 1000 >= started - 1000) show(state); })
        .catch(function () {})
        .then(function () { setTimeout(poll, 1000); });
    })();
  });
})();
