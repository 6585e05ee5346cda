/* Allele service worker: written by hand, no build step. Served at /sw.js by
   offline/views.py, which puts one line before this file:
     var VERSION = "<digest>", SHELL = [<app shell URLs>], OFFLINE_URL = "/offline/";
   (VERSION changes whenever this file or a shell file changes, so the browser installs
   the new worker and the old shell cache is dropped.)

   Caches (all names start with "allele-"):
   - allele-shell-<VERSION>: the app shell (CSS, JS, icons, the offline page), at install.
   - allele-pages: HTML pages the learner opened, newest copy (capped at PAGE_LIMIT).
   - allele-course-<id>: one course made available offline (filled by course.js).
   The page clears the pages and course caches when the learner signs out (queue.js).

   Strategies: HTML is network first, then any cached copy, then the offline page;
   hashed static files (name.0123456789ab.css) are cache first; everything else GET is
   network first with a cached copy as fallback. Never touched: other methods (POST),
   other origins, and the admin, accounts and API paths. */
"use strict";

var SHELL_CACHE = "allele-shell-" + VERSION;
var PAGES_CACHE = "allele-pages";
var COURSE_PREFIX = "allele-course-";
var PAGE_LIMIT = 60;
var NETWORK_TIMEOUT_MS = 10000;
var NEVER = /^\/(admin|django-admin|accounts|api)(\/|$)/;
var HASHED = /^\/static\/.+\.[0-9a-f]{12}\.[a-z0-9]+$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("allele-shell-") === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin ||
      NEVER.test(url.pathname)) {
    return; // the browser handles it as if there were no service worker
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(fetch(request).catch(function () { return cached(request); }));
  }
});

/* Any cached copy: shell, pages or a course. Vary is ignored (the caches are this
   learner's own); a miss rejects, so the browser shows its usual network error. */
function cached(request) {
  return caches.match(request, { ignoreVary: true }).then(function (response) {
    return response || Promise.reject(new Error("not cached"));
  });
}

function cacheFirst(request) {
  return caches.match(request, { ignoreVary: true }).then(function (response) {
    return response || fetch(request).then(function (fresh) {
      if (fresh.ok) {
        var copy = fresh.clone();
        caches.open(SHELL_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return fresh;
    });
  });
}

/* A page: the network's answer (kept for later); if the network fails, a cached copy,
   else the offline page. On a very slow connection a cached copy is shown after
   NETWORK_TIMEOUT_MS; without one, the page keeps loading. Redirected answers are not
   kept: a navigation may not be answered with one. */
function page(request) {
  var network = fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copies = [response.clone(), response.clone()];
      keepPage(request, copies[0]);
      refreshCourseCopies(request, copies[1]);
    }
    return response;
  });
  var slow = new Promise(function (resolve) { setTimeout(resolve, NETWORK_TIMEOUT_MS); })
    .then(function () { return caches.match(request, { ignoreVary: true }); })
    .then(function (copy) { return copy || network; });
  return Promise.race([network, slow]).catch(function () {
    return cached(request).catch(function () {
      return caches.match(OFFLINE_URL, { ignoreVary: true });
    });
  });
}

function keepPage(request, response) {
  caches.open(PAGES_CACHE).then(function (cache) {
    return cache.put(request, response).then(function () { return cache.keys(); })
      .then(function (keys) { // oldest first: drop beyond the limit
        return Promise.all(keys.slice(0, Math.max(0, keys.length - PAGE_LIMIT))
          .map(function (key) { return cache.delete(key); }));
      });
  });
}

/* A page saved with a course is replaced by the copy just fetched, so offline she sees
   her latest progress. */
function refreshCourseCopies(request, response) {
  caches.keys().then(function (names) {
    names.filter(function (name) { return name.indexOf(COURSE_PREFIX) === 0; })
      .forEach(function (name) {
        caches.open(name).then(function (cache) {
          return cache.match(request, { ignoreVary: true }).then(function (old) {
            if (old) { return cache.put(request.url, response.clone()); }
          });
        });
      });
  });
}
