/* Allele offline queue, on every page (defer); enhancement only: without it every form
   posts as before. Registers /sw.js; shows the offline banner; clears saved pages at
   sign-out. Offline, "Mark as complete" (and, through attempt.js, the quiz form) is
   queued per learner in localStorage, listed as "Waiting to sync (n)", and sent as ONE
   batch to the sync API (docs/offline-sync.md) on reconnecting, on page load and on a
   retry with backoff. An action leaves the queue only when the server answers applied
   or already_applied; its idempotency key makes a resent batch apply once. Loads
   attempt.js and course.js only where needed (both are in the worker's app shell). */
(function () {
  "use strict";
  var script = document.currentScript;
  var meta = document.querySelector('meta[name="allele-learner"]');
  var learner = meta ? meta.content : "";
  var root = document.documentElement;
  var banner = document.querySelector("[data-offline-banner]");
  var box = document.querySelector("[data-sync-queue]");
  var QUEUE = "allele-queue:" + learner, COPIES = "allele-offline:" + learner;
  var offline = !navigator.onLine, busy = false, refused = null, retryMs = 2000, timer;

  function read(key, empty) {
    try { return JSON.parse(localStorage.getItem(key)) || empty; } catch (e) { return empty; }
  }
  function write(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  function text(name) { return (box && box.getAttribute("data-" + name)) || ""; }
  function isOffline() { return !!learner && (offline || !navigator.onLine); }
  function title() { return ((document.querySelector("h1") || {}).textContent || "").trim(); }

  function setOffline(value) {
    offline = value;
    root.classList.toggle("is-offline", value);
    if (banner) { banner.hidden = !value; }
  }
  window.addEventListener("offline", function () { setOffline(true); });
  window.addEventListener("online", function () {
    if (!navigator.onLine) { return; } // a spurious event (seen in emulated offline mode)
    setOffline(false); retryMs = 2000; sync();
  });
  setOffline(offline);

  if (!("serviceWorker" in navigator) || !window.caches || !window.localStorage) { return; }
  navigator.serviceWorker.register(script.getAttribute("data-sw"), { scope: "/" })
    .catch(function () { /* no offline copies on this browser; the site still works */ });

  /* --- 2. Another learner's pages never stay on the device ---------------------- */
  function clearCopies() {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name === "allele-pages" || name.indexOf("allele-course-") === 0;
      }).map(function (name) { return caches.delete(name); }));
    });
  }
  var previous = localStorage.getItem("allele-learner");
  if (!document.querySelector('meta[name="allele-offline-page"]') && !offline) {
    if (previous !== null && previous !== learner) { clearCopies(); }
    localStorage.setItem("allele-learner", learner);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("data-sign-out") === null) { return; }
    event.preventDefault();
    localStorage.removeItem(COPIES);
    clearCopies().then(function () { form.submit(); }, function () { form.submit(); });
  }, true);

  /* --- 3. The queue ----------------------------------------------------------- */
  function queue() { return read(QUEUE, []); }

  function enqueue(action) {
    action.key = crypto.randomUUID();
    action.made_at = new Date().toISOString();
    var list = queue(); list.push(action); write(QUEUE, list);
  }

  function say(form, message) {
    var p = form.querySelector("[data-save-status]") || document.createElement("p");
    p.className = "waiting"; p.setAttribute("role", "status"); p.textContent = message;
    if (!p.parentNode) { form.replaceWith(p); }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var module = (form.getAttribute("action") || "").match(/\/learn\/modules\/(\d+)\/complete\/$/);
    if (!module || !isOffline()) { return; }
    event.preventDefault();
    event.stopImmediatePropagation(); // allele.js would post it; offline it cannot
    enqueue({ type: "complete_module", module: +module[1], label: title() });
    say(form, text("completed"));
    render();
  }, true);

  function render() {
    var list = queue();
    // A module completed on this device shows so on its page, also after a reload.
    list.forEach(function (a) {
      if (a.type !== "complete_module") { return; }
      var form = document.querySelector('form[action$="/modules/' + a.module + '/complete/"]');
      if (form) { say(form, text("completed")); }
    });
    if (!box) { return; }
    box.hidden = !list.length;
    box.querySelector("[data-sync-count]").textContent = list.length;
    var ul = box.querySelector("[data-sync-list]");
    ul.textContent = "";
    list.forEach(function (a) {
      var li = document.createElement("li");
      li.textContent = text(a.type) + ": " + a.label + " ";
      if (refused) {
        var discard = document.createElement("button");
        discard.type = "button"; discard.className = "link-button";
        discard.textContent = text("discard");
        discard.addEventListener("click", function () {
          write(QUEUE, queue().filter(function (b) { return b.key !== a.key; }));
          refused = null; render(); sync();
        });
        li.appendChild(discard);
      }
      if (refused && refused.action === a.key) { li.className = "sync-refused"; }
      ul.appendChild(li);
    });
    box.querySelector("[data-sync-error]").textContent = refused ? refused.error : "";
    if (refused) { box.open = true; }
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function retry() {
    clearTimeout(timer);
    timer = setTimeout(sync, retryMs);
    retryMs = Math.min(retryMs * 2, 300000);
  }

  function sync() {
    var list = queue();
    if (!learner || busy || refused || !list.length) { return; }
    busy = true;
    fetch(script.getAttribute("data-sync"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ learner: learner, actions: list.map(function (a) {
        var copy = Object.assign({}, a); delete copy.label; return copy;
      }) })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        busy = false;
        if (response.ok) {
          var done = {};
          (data.results || []).forEach(function (r) {
            if (r.status === "applied" || r.status === "already_applied") { done[r.key] = true; }
          });
          write(QUEUE, queue().filter(function (a) { return !done[a.key]; }));
          setOffline(false); retryMs = 2000;
          if (!queue().length) {
            document.querySelectorAll(".waiting").forEach(function (p) { p.textContent = text("sent"); });
          }
          document.dispatchEvent(new CustomEvent("allele:synced", { detail: data }));
        } else if (response.status >= 400 && response.status < 500) {
          // The server's message; she discards the action named (or all), then it resends.
          refused = { error: data.error || text("failed"), action: data.action };
        } else { retry(); }
        render();
      });
    }).catch(function () { busy = false; setOffline(true); retry(); }); // resent whole
  }

  render();
  if (!offline) { sync(); }

  /* --- 4. The quiz form offline; "Make available offline" and refreshing copies ---- */
  window.alleleOffline = { queue: queue, enqueue: enqueue, render: render, say: say, text: text,
                           title: title, isOffline: isOffline, read: read, write: write,
                           copiesKey: COPIES };
  function load(name) {
    var s = document.createElement("script");
    s.src = script.getAttribute("data-" + name); s.async = false;
    document.head.appendChild(s);
  }
  if (!learner) { return; }
  if (document.querySelector("form[data-quiz-autosave]")) { load("attempt-js"); }
  if (document.querySelector("[data-offline-course]") || (location.pathname ===
      script.getAttribute("data-dashboard") && Object.keys(read(COPIES, {})).length)) {
    load("course-js");
  }
})();
