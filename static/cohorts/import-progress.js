// Optional: updates the import's progress bar in place. Without JavaScript the page
// reloads itself every two seconds (a <noscript> meta refresh) while the import runs.
(function () {
  "use strict";
  var box = document.getElementById("cohort-import");
  if (!box || box.dataset.running !== "true" || !window.fetch) return;
  var bar = box.querySelector("[data-import-progress]");
  var count = box.querySelector("[data-import-count]");
  var label = box.querySelector("[data-import-label]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.running) { window.location.reload(); return; }
        label.textContent = data.label;
        if (data.status === "importing" && bar) {
          bar.max = data.total_rows;
          bar.value = data.processed_rows;
        }
        // The sentence the page shows, in its language, as the server words it.
        if (count && data.progress_text) { count.textContent = data.progress_text; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
