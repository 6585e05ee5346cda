/* Allele: "Make available offline". Loaded by queue.js on a course page for an enrolled
   learner, and on her dashboard when she has saved courses.
   The course manifest (GET /api/v1/offline/courses/<id>/manifest, docs/offline-sync.md)
   lists the course page, its unlocked module pages, their images (never videos), the
   site's CSS and JavaScript and the offline page, with sizes and a version. She sees the
   size first and confirms; each URL is then downloaded into the cache
   "allele-course-<id>", with a progress bar; the service worker answers from it offline.
   The saved version is kept (localStorage, per learner); when a later manifest has
   another version (the course was republished, a module unlocked), the copy is
   refreshed on her next online visit to the course page or the dashboard. */
(function () {
  "use strict";
  var offline = window.alleleOffline;
  if (!offline) { return; }
  var PREFIX = "allele-course-";

  function copies() { return offline.read(offline.copiesKey, {}); }
  function remember(id, value) {
    var all = copies();
    if (value) { all[id] = value; } else { delete all[id]; }
    offline.write(offline.copiesKey, all);
  }
  function manifest(url) {
    return fetch(url, { credentials: "same-origin",
      headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) { return null; } // not enrolled (any more)
        if (!response.ok) { throw new Error("manifest " + response.status); }
        return response.json();
      });
  }

  /* Download every URL of the manifest into the course's cache, then drop what the
     manifest no longer lists. progress(done, total) after each file; resolves with the
     number of files the server did not have. Rejects when the connection drops: the
     copy is then not recorded (what was saved stays, and is reused next time). */
  function download(data, manifestUrl, progress) {
    var urls = data.urls.map(function (u) { return new URL(u.url, location.href).href; });
    var done = 0, missing = 0;
    return caches.open(PREFIX + data.course.id).then(function (cache) {
      function next(i) {
        if (i >= urls.length) { return Promise.resolve(); }
        return fetch(urls[i], { credentials: "same-origin", cache: "no-cache" })
          .then(function (response) {
            if (!response.ok) { missing += 1; return; } // gone meanwhile: the rest still helps
            // A navigation may not be answered with a redirected response: keep its body.
            var copy = response.redirected ? response.blob().then(function (body) {
              return new Response(body, { headers: response.headers });
            }) : response;
            return Promise.resolve(copy).then(function (r) { return cache.put(urls[i], r); });
          })
          .then(function () { done += 1; progress(done, urls.length); return next(i + 1); });
      }
      return next(0).then(function () { return cache.keys(); }).then(function (keys) {
        return Promise.all(keys.filter(function (request) {
          return urls.indexOf(request.url) < 0;
        }).map(function (request) { return cache.delete(request); }));
      });
    }).then(function () {
      remember(data.course.id, { version: data.version, title: data.course.title,
                                 url: data.course.url, manifest: manifestUrl });
      return missing;
    });
  }

  /* "2.4 MB" in the page's language: the unit as Django words it ("%s Mo" in French,
     from data-msg-kb / data-msg-mb), the number through the browser's Intl. */
  function size(bytes) {
    var mega = bytes >= 1e6, amount = mega ? bytes / 1e6 : Math.max(1, Math.round(bytes / 1e3));
    var unit = (panel && panel.getAttribute(mega ? "data-msg-mb" : "data-msg-kb")) ||
      (mega ? "%s MB" : "%s KB");
    var number;
    try {
      number = new Intl.NumberFormat(document.documentElement.lang || undefined,
                                     { maximumFractionDigits: 1 }).format(amount);
    } catch (e) {
      number = mega ? amount.toFixed(1) : String(amount);
    }
    return unit.replace("%s", number);
  }

  /* --- The dashboard: refresh saved courses that were republished ---------------- */
  var panel = document.querySelector("[data-offline-course]");
  if (!panel) {
    if (offline.isOffline()) { return; }
    Object.keys(copies()).forEach(function (id) {
      var url = copies()[id].manifest;
      manifest(url).then(function (data) {
        if (!data) { remember(id, null); return caches.delete(PREFIX + id); }
        if (data.version !== copies()[id].version) { return download(data, url, function () {}); }
      }).catch(function () { /* offline again: next visit */ });
    });
    return;
  }

  /* --- The course page --------------------------------------------------------- */
  var id = panel.getAttribute("data-offline-course");
  var url = panel.getAttribute("data-manifest");
  function el(name) { return panel.querySelector("[data-offline-" + name + "]"); }
  function msg(name, values) {
    return (panel.getAttribute("data-msg-" + name) || "").replace(/\{(\w+)\}/g, function (m, key) {
      return values[key];
    });
  }
  var status = el("status"), bar = el("progress"), confirmBox = el("confirm");
  var pending = null;

  function show(state, message) { // state: "none", "confirm", "busy" or "saved"
    el("save").hidden = state !== "none";
    confirmBox.hidden = state !== "confirm";
    bar.hidden = state !== "busy";
    el("remove").hidden = state !== "saved";
    status.textContent = message || "";
  }

  function save(data, message) {
    show("busy", message);
    bar.max = data.urls.length; bar.value = 0;
    return download(data, url, function (done, total) {
      bar.value = done;
      status.textContent = msg("progress", { done: done, total: total });
    }).then(function (missing) {
      show("saved", msg("saved", {}) + (missing ? " " + msg("missing", { count: missing }) : ""));
    },
            function () { show("none", msg("failed", {})); });
  }

  el("save").addEventListener("click", function () {
    status.textContent = msg("checking", {});
    manifest(url).then(function (data) {
      if (!data) { show("none", msg("failed", {})); return; }
      pending = data;
      el("size").textContent = msg("size", { size: size(data.total_bytes) }) +
        (data.locked_modules && data.locked_modules.length ? " " + data.note : "");
      show("confirm");
      el("download").focus();
    }).catch(function () { show("none", msg("failed", {})); });
  });
  el("download").addEventListener("click", function () { save(pending); });
  el("cancel").addEventListener("click", function () { show("none"); el("save").focus(); });
  el("remove").addEventListener("click", function () {
    caches.delete(PREFIX + id).then(function () {
      remember(id, null);
      show("none", msg("removed", {}));
    });
  });

  panel.hidden = false;
  var saved = copies()[id];
  if (!saved) { show("none"); return; }
  show("saved", msg("saved", {}));
  caches.has(PREFIX + id).then(function (kept) { // the browser may evict it
    if (!kept) { remember(id, null); show("none"); }
  });
  if (offline.isOffline()) { return; }
  manifest(url).then(function (data) {
    if (!data) { remember(id, null); caches.delete(PREFIX + id); show("none"); return; }
    if (data.version !== saved.version) { save(data, msg("updating", {})); }
  }).catch(function () { /* offline: the saved copy stays as it is */ });
})();
