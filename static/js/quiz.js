/* Allele quiz autosave: progressive enhancement of the attempt form (which works without
   it: "Save answers" and "Submit answers" are plain POSTs). Answers are posted to the
   save endpoint shortly after each change; a failed save is retried with a growing delay
   and the status line says so. A question she has checked (immediate feedback) sits in a
   disabled fieldset: FormData leaves its inputs out, so autosave never sends it (the
   server would ignore it anyway); "Check answer" itself is a plain POST of the form.
   Loaded only on attempt pages. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-quiz-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-quiz-autosave");
  var status = form.querySelector("[data-save-status]");
  var DELAY = 800, timer = null, retryDelay = 2000, inFlight = false, dirty = false;

  function say(text) { if (status) { status.textContent = text; } }
  // The status texts come translated from the page (data-msg-* on the status line);
  // English when the page gives none.
  function msg(name, fallback) {
    return (status && status.getAttribute("data-msg-" + name)) || fallback;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function save() {
    if (inFlight) { dirty = true; return; }
    inFlight = true; dirty = false;
    say(msg("saving", "Saving…"));
    fetch(url, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      inFlight = false;
      if (result.ok) {
        retryDelay = 2000;
        var at = new Date(result.data.saved_at);
        var time = at.toLocaleTimeString(document.documentElement.lang || [],
                                         { hour: "2-digit", minute: "2-digit" });
        say(msg("saved", "Saved {time}").replace("{time}", time));
        if (dirty) { schedule(DELAY); }
      } else {
        // Submitted elsewhere or time is up: the server's message says what happens next.
        say(result.data.message || msg("not-saved", "Not saved."));
      }
    }).catch(function () {
      inFlight = false;
      say(msg("retrying", "Not saved — will retry"));
      schedule(retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    });
  }

  function checked(target) { return !!(target.closest && target.closest("fieldset[disabled]")); }

  form.addEventListener("change", function (event) {
    if (!checked(event.target)) { schedule(DELAY); }
  });
  form.addEventListener("input", function (event) {
    if (event.target.type === "text" && !checked(event.target)) { schedule(DELAY * 2); }
  });
  form.addEventListener("submit", function () { clearTimeout(timer); });
  window.addEventListener("online", function () { schedule(0); });
  say(msg("autosave", "Your answers are saved as you go."));
})();
